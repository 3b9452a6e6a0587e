// predlens' version, as package.json says (a unit test keeps the two equal): reports and exports name it.
export const PREDLENS_VERSION = '0.1.0';
