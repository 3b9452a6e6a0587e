// Opens an Encord Active v0.1.40 project folder (spec section 1) through any FileTree: meta, ontology, label rows,
// and where every data unit's pixels are. Whatever can be skipped is skipped and reported; what cannot stops here.
import { SubTree, type FileTree } from '../file-tree.ts';
import type { DataUnit, LabelRow, Ontology, Problem, Project } from '../model.ts';
import { parseJson, ProjectFileError } from './errors.ts';
import { attachImages, indexDataFolder, videoFile } from './images.ts';
import { parseLabelRow } from './label-row.ts';
import { parseLabelRowMeta, parseProjectMeta, type LabelRowMeta } from './meta.ts';
import { indexOntology, parseOntology } from './ontology.ts';
import { ProblemLog } from './problems.ts';

export const PROJECT_META = 'project_meta.yaml';
export const ONTOLOGY = 'ontology.json';
export const LABEL_ROW_META = 'label_row_meta.json';

const PROJECT_LAYOUT =
  'An Encord Active project folder holds project_meta.yaml, ontology.json, label_row_meta.json and, per label row, ' +
  'data/<label_hash>/label_row.json with its pixels in data/<label_hash>/images/.';

export interface ReadProjectOptions {
  /** Called with label rows read so far and the total, first with done = 0. */
  onProgress?(done: number, total: number): void;
  /** Label rows read at once; a URL-backed tree benefits from several requests in flight. */
  concurrency?: number;
}

export async function readProject(tree: FileTree, opts: ReadProjectOptions = {}): Promise<Project> {
  await requireProjectFiles(tree);
  const log = new ProblemLog();
  const meta = parseProjectMeta(await tree.readText(PROJECT_META), PROJECT_META, tree.name, log);
  const ontology = parseOntology(parseJson(await tree.readText(ONTOLOGY), ONTOLOGY), ONTOLOGY, log);
  const ontologyIndex = indexOntology(ontology);
  const files = indexDataFolder(await tree.list('data'));

  let rowMeta: Map<string, LabelRowMeta>;
  if (await tree.exists(LABEL_ROW_META)) {
    rowMeta = parseLabelRowMeta(await tree.readText(LABEL_ROW_META), LABEL_ROW_META, log);
    const listed = new Set([...rowMeta.keys()].map((k) => k.toLowerCase()));
    for (const [key, { labelHash, hasLabelRow }] of files) {
      if (hasLabelRow && !listed.has(key)) {
        log.add(
          {
            file: `data/${labelHash}/label_row.json`,
            code: 'not_in_meta',
            reason: `label row ${labelHash} is not in ${LABEL_ROW_META}; ignored as Encord Active does`,
          },
          'label_row_not_in_meta',
        );
      }
    }
  } else {
    log.add({
      file: LABEL_ROW_META,
      code: 'missing_meta',
      reason: `${LABEL_ROW_META} is missing; reading every data/<label_hash>/label_row.json instead`,
    });
    rowMeta = new Map([...files.values()].filter((f) => f.hasLabelRow).map((f) => [f.labelHash, {}]));
  }

  const labelHashes = [...rowMeta.keys()];
  const total = labelHashes.length;
  let done = 0;
  opts.onProgress?.(0, total);
  const rows = await mapInOrder(labelHashes, opts.concurrency ?? 8, async (labelHash) => {
    const row = await readLabelRow(tree, labelHash, rowMeta.get(labelHash)!, files, ontologyIndex, log);
    opts.onProgress?.(++done, total);
    return row;
  });

  const labelRows: LabelRow[] = [];
  const dataUnits: DataUnit[] = [];
  const byDataHash = new Map<string, DataUnit>();
  for (const row of rows) {
    if (!row) continue;
    labelRows.push(row);
    for (const unit of row.dataUnits) {
      const key = unit.dataHash.toLowerCase();
      if (byDataHash.has(key)) {
        log.add({
          file: `data/${row.labelHash}/label_row.json`,
          record: unit.dataHash,
          code: 'duplicate_data_hash',
          reason: `data hash ${unit.dataHash} is also in label row ${byDataHash.get(key)!.labelHash}; the first one is used for lookups`,
        });
      } else byDataHash.set(key, unit);
      dataUnits.push(unit);
    }
  }
  log.finish();
  return {
    source: tree.name,
    meta,
    ontology,
    labelRows,
    dataUnits,
    byDataHash,
    problems: log.problems,
    skipped: log.skipped,
  };
}

/** Reads only ontology.json (what `print ontology` needs), with the problems met in it. */
export async function readOntology(tree: FileTree): Promise<{ ontology: Ontology; problems: Problem[] }> {
  if (!(await tree.exists(ONTOLOGY))) throw new NotAProjectError(tree.name, [ONTOLOGY]);
  const log = new ProblemLog();
  const ontology = parseOntology(parseJson(await tree.readText(ONTOLOGY), ONTOLOGY), ONTOLOGY, log);
  log.finish();
  return { ontology, problems: log.problems };
}

/** The folder is not a project: names the missing files and what a project folder must hold. */
export class NotAProjectError extends Error {
  constructor(
    readonly tree: string,
    readonly missing: string[],
  ) {
    super(
      `${tree} is not an Encord Active project: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing. ${PROJECT_LAYOUT}`,
    );
    this.name = 'NotAProjectError';
  }
}

async function requireProjectFiles(tree: FileTree) {
  const missing: string[] = [];
  for (const file of [PROJECT_META, ONTOLOGY]) if (!(await tree.exists(file))) missing.push(file);
  if (missing.length > 0) throw new NotAProjectError(tree.name, missing);
}

/**
 * The project in `tree`, or in its only sub-folder holding project_meta.yaml (EA's CLI also looks one level down;
 * a zip often unpacks into a folder of its own). Lists the whole tree when the root is not a project.
 */
export async function locateProject(tree: FileTree): Promise<FileTree> {
  if (await tree.exists(PROJECT_META)) return tree;
  const nested = (await tree.list('')).filter((p) => /^[^/]+\/project_meta\.yaml$/.test(p));
  return nested.length === 1 ? new SubTree(tree, nested[0].split('/')[0]) : tree;
}

async function readLabelRow(
  tree: FileTree,
  labelHash: string,
  meta: LabelRowMeta,
  index: ReturnType<typeof indexDataFolder>,
  ontology: ReturnType<typeof indexOntology>,
  log: ProblemLog,
): Promise<LabelRow | undefined> {
  const files = index.get(labelHash.toLowerCase());
  const file = `data/${labelHash}/label_row.json`;
  const title = meta.data_title ? ` ("${meta.data_title}")` : '';
  if (!files?.hasLabelRow) {
    log.add(
      {
        file,
        code: 'missing_label_row',
        reason: `label row ${labelHash}${title} has no label_row.json; skipped as Encord Active does`,
      },
      'missing_label_row',
    );
    return undefined;
  }
  if (files.images.size === 0) {
    log.add(
      {
        file: `data/${labelHash}/images/`,
        code: 'no_images',
        reason: `label row ${labelHash}${title} has no images folder or no files in it; skipped as Encord Active does`,
      },
      'label_row_without_images',
    );
    return undefined;
  }
  let raw: unknown;
  try {
    raw = parseJson(await tree.readText(file), file);
  } catch (err) {
    if (!(err instanceof ProjectFileError)) throw err;
    log.add(
      {
        file,
        record: err.line !== undefined ? `${err.line}:${err.column}` : undefined,
        code: err.code,
        reason: `${err.reason}; label row skipped`,
      },
      err.code,
    );
    return undefined;
  }
  const row = parseLabelRow(raw, { file, labelHash, meta, ontology, log });
  if (!row) return undefined;
  for (const unit of row.dataUnits) {
    if (attachImages(unit, files)) continue;
    const video = unit.dataType === 'video' ? videoFile(unit, files) : undefined;
    log.add({
      file: `data/${labelHash}/images/`,
      record: unit.dataHash,
      code: 'missing_image',
      reason: video
        ? `video ${unit.dataHash} has no decoded frames (<du_hash>_<frame>.png), only ${video}`
        : `no image for data unit ${unit.dataHash} ("${unit.title}"): expected ${unit.dataHash}.<ext>`,
    });
  }
  return row;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the items' order. */
async function mapInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
