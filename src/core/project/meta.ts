// project_meta.yaml (spec 1.2) and label_row_meta.json (spec 1.4).
import type { ProjectMeta } from '../model.ts';
import { parseJson, parseYaml, ProjectFileError } from './errors.ts';
import type { ProblemLog } from './problems.ts';

export function parseProjectMeta(text: string, file: string, fallbackTitle: string, log: ProblemLog): ProjectMeta {
  const raw = parseYaml(text, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ProjectFileError(
      file,
      'project_meta.yaml must be a YAML mapping (project_title: ..., project_hash: ...)',
    );
  }
  const meta = raw as Record<string, unknown>;
  if (typeof meta.project_hash !== 'string' || meta.project_hash === '') {
    log.add({
      file,
      record: 'project_hash',
      code: 'bad_meta',
      reason: 'project_hash is missing; Encord Active needs it to load the project',
    });
  }
  return {
    ...meta,
    project_title: typeof meta.project_title === 'string' ? meta.project_title : fallbackTitle,
    project_hash: typeof meta.project_hash === 'string' ? meta.project_hash : '',
  };
}

/** One label_row_meta.json value: the label-row metadata as the Encord API returned it. */
export interface LabelRowMeta {
  label_hash?: string;
  data_hash?: string;
  dataset_hash?: string;
  data_title?: string;
  data_type?: string;
  label_status?: string;
  annotation_task_status?: string;
  [key: string]: unknown;
}

/** The keys LabelRowMetadata.from_dict requires (spec 1.4). */
export const REQUIRED_META_KEYS = [
  'data_hash',
  'dataset_hash',
  'data_title',
  'data_type',
  'label_status',
  'annotation_task_status',
];

/** label_hash -> metadata, in file order. */
export function parseLabelRowMeta(text: string, file: string, log: ProblemLog): Map<string, LabelRowMeta> {
  const raw = parseJson(text, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ProjectFileError(file, 'label_row_meta.json must be a JSON object keyed by label_hash');
  }
  const out = new Map<string, LabelRowMeta>();
  for (const [labelHash, value] of Object.entries(raw)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      log.add(
        { file, record: labelHash, code: 'bad_meta', reason: 'the entry is not an object; label row skipped' },
        'bad_meta',
      );
      continue;
    }
    const missing = REQUIRED_META_KEYS.filter((k) => !(k in value));
    if (missing.length > 0) {
      log.add({
        file,
        record: labelHash,
        code: 'bad_meta',
        reason: `missing ${missing.join(', ')} (Encord Active requires them)`,
      });
    }
    out.set(labelHash, value as LabelRowMeta);
  }
  return out;
}
