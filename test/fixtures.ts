// Where the shared fixtures are: ../shared/fixtures beside the checkout (CI lays shared/ there too).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const FIXTURES = process.env.PREDLENS_FIXTURES ?? resolve(REPO_ROOT, '../shared/fixtures');

if (!existsSync(FIXTURES)) {
  throw new Error(`shared fixtures not found at ${FIXTURES}; set PREDLENS_FIXTURES to the fixtures folder`);
}

export const fixture = (...parts: string[]) => resolve(FIXTURES, ...parts);
