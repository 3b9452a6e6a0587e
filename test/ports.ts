// The e2e servers' ports. PREDLENS_E2E_PORT moves both (the sub-path server is the next port), so several
// checkouts can run their end-to-end tests on one machine at once.
export const E2E_PORT = Number(process.env.PREDLENS_E2E_PORT ?? 4173);
export const SUBPATH_PORT = E2E_PORT + 1;
