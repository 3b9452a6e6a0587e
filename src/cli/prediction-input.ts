// The prediction input the import, eval and metrics commands share: the file or folder, --format and the import
// options (--class-map, --name-pattern, --keep-holes, --ignore-value), read the same way everywhere.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { flagNumber, flagString, UsageError, type ParsedArgs } from './args.ts';
import { NodeTree } from '../files/node-fs.ts';
import type { FileTree } from '../core/file-tree.ts';
import type { Kernels } from '../kernels/wasm.ts';
import { FileSubset } from '../core/formats/file-subset.ts';
import { importPredictions } from '../core/formats/index.ts';
import { FORMAT_IDS, formatHelp } from '../core/formats/registry.ts';
import { readImageDataUnits, type CocoResultsOptions } from '../core/formats/coco-results.ts';
import type { FormatId, Project } from '../core/model.ts';
import { parseJsonFile } from '../core/formats/json-file.ts';

/** Flags every command that reads predictions accepts, for parseArgs. */
export const IMPORT_FLAGS = {
  boolean: ['keep-holes'],
  value: ['format', 'class-map', 'name-pattern', 'ignore-value'],
};

export const IMPORT_USAGE = `[--format ${FORMAT_IDS.join('|')}] [--class-map FILE] [--name-pattern PATTERN] [--keep-holes] [--ignore-value N]`;

/** The formats part of --help, from the registry. */
export const FORMATS_HELP = `Formats (--format; detected when not given):\n${formatHelp()}`;

/** A tree holding just the file, or the folder. */
export function openInput(path: string): FileTree {
  if (!existsSync(path)) throw new Error(`${path}: no such file or folder`);
  if (statSync(path).isDirectory()) return new NodeTree(path);
  return new FileSubset(new NodeTree(dirname(path)), [basename(path)], basename(path));
}

/** --class-map: one JSON object, the file's own class key -> ontology featureNodeHash. */
export function readClassMap(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `--class-map ${file}: ${code === 'EISDIR' ? 'a folder, not a JSON file' : code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      { cause: err },
    );
  }
  let value: unknown;
  try {
    value = parseJsonFile(text, file);
  } catch (err) {
    throw new Error(`--class-map ${(err as Error).message}`, { cause: err });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`--class-map ${file}: expected a JSON object {"<class key>": "<featureNodeHash>"}`);
  }
  const bad = Object.entries(value).filter(([, v]) => typeof v !== 'string');
  if (bad.length > 0) {
    throw new Error(`--class-map ${file}: values must be featureNodeHash strings: ${bad.map(([k]) => k).join(', ')}`);
  }
  return value as Record<string, string>;
}

/** --format, checked against the known formats; undefined means "detect". */
export function formatFromArgs(args: ParsedArgs): FormatId | undefined {
  const format = flagString(args, 'format');
  if (format !== undefined && !FORMAT_IDS.includes(format as FormatId)) {
    throw new UsageError(`--format must be one of ${FORMAT_IDS.join(', ')}; got "${format}"`);
  }
  return format as FormatId | undefined;
}

/** The import options the flags ask for, plus the project's image_data_unit.json for COCO results. */
export async function importOptionsFromArgs(args: ParsedArgs, projectTree: FileTree): Promise<CocoResultsOptions> {
  const options: CocoResultsOptions = {};
  const classMapFile = flagString(args, 'class-map');
  if (classMapFile !== undefined) options.classMap = readClassMap(classMapFile);
  const namePattern = flagString(args, 'name-pattern');
  if (namePattern !== undefined) options.namePattern = namePattern;
  if (args.flags.has('keep-holes')) options.keepHoles = true;
  const ignoreValue = flagNumber(args, 'ignore-value');
  if (ignoreValue !== undefined) options.ignoreValue = ignoreValue;
  options.imageDataUnits = await readImageDataUnits(projectTree);
  return options;
}

/** Reads the predictions at `input` as the flags say. */
export async function importFromArgs(
  kernels: Kernels,
  project: Project,
  projectTree: FileTree,
  input: string,
  args: ParsedArgs,
) {
  const format = formatFromArgs(args);
  const options = await importOptionsFromArgs(args, projectTree);
  return importPredictions(kernels, project, openInput(input), format, options);
}
