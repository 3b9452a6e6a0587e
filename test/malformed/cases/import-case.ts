// A case that imports files through the real entry point (importPredictions, real wasm kernels).
import { MemoryTree } from '../../../src/core/file-tree.ts';
import { importPredictions } from '../../../src/core/formats/index.ts';
import type { ImportOptions } from '../../../src/core/formats/options.ts';
import type { FormatId } from '../../../src/core/model.ts';
import { loadKernels } from '../../../src/kernels/node.ts';
import { PROJECTS, type Files, type ProjectName } from '../samples.ts';
import type { Expectation, MalformedCase } from './types.ts';

const kernels = await loadKernels();

export interface ImportCaseSpec {
  id: string;
  format: FormatId | undefined;
  files: Files;
  expect: Expectation;
  project?: ProjectName;
  options?: ImportOptions;
}

export function importCase(spec: ImportCaseSpec): MalformedCase {
  return {
    id: spec.id,
    files: Object.keys(spec.files),
    source: 'chosen',
    expect: spec.expect,
    async run() {
      const tree = new MemoryTree('chosen', spec.files);
      const result = await importPredictions(
        kernels,
        PROJECTS[spec.project ?? 'eaMini'],
        tree,
        spec.format,
        spec.options ?? {},
      );
      return { accepted: result.predictions.length, rejected: result.report.rejected };
    },
  };
}

/** `good` valid records survive beside `bad` refused ones. */
export const records = (good: number, bad: number, level: 'record' | 'file' = 'record'): Expectation => ({
  kind: 'records',
  good,
  bad,
  level,
});
export const fatal: Expectation = { kind: 'fatal' };

/** Cuts a file at fractions of its length: each cut is a case that must end cleanly. */
export function truncations(
  id: string,
  format: FormatId,
  name: string,
  content: string | Uint8Array,
  good: number,
  project?: ProjectName,
  extra: Files = {},
): MalformedCase[] {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return [0.1, 0.35, 0.6, 0.85].map((at) =>
    importCase({
      id: `${id}: cut at ${Math.round(at * 100)}%`,
      format,
      project,
      files: { ...extra, [name]: bytes.slice(0, Math.floor(bytes.length * at)) },
      expect: { kind: 'either', good },
    }),
  );
}
