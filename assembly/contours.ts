// Owned by the contours kernel work; see index.ts for the memory contract.
