// Owned by the polygon kernel work; see index.ts for the memory contract.
