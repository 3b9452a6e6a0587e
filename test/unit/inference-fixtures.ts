// Where the ONNX fixtures are (built by scripts/fixtures/make_onnx_models.py; see their README).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../fixtures.ts';

export const ONNX_FIXTURES = resolve(REPO_ROOT, 'test/fixtures/onnx');
export const onnxFixture = (name: string) => resolve(ONNX_FIXTURES, name);
export const onnxBytes = (name: string) => new Uint8Array(readFileSync(onnxFixture(name)));
