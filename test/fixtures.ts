// Where the reference fixtures are: test/fixtures/shared, a vendored copy of the team's shared fixtures (see
// test/fixtures/README.md for where each came from). PREDLENS_FIXTURES points elsewhere, e.g. at a newer copy.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const FIXTURES = process.env.PREDLENS_FIXTURES ?? resolve(REPO_ROOT, 'test/fixtures/shared');

if (!existsSync(FIXTURES)) {
  throw new Error(`reference fixtures not found at ${FIXTURES}; set PREDLENS_FIXTURES to the fixtures folder`);
}

export const fixture = (...parts: string[]) => resolve(FIXTURES, ...parts);
