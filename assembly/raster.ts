// Owned by the raster kernel work; see index.ts for the memory contract.
