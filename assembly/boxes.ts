// Owned by the boxes kernel work; see index.ts for the memory contract.
