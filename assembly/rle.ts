// Owned by the rle kernel work; see index.ts for the memory contract.
