// Opening the project folder a command is given, as Encord Active's CLI does (it looks one level down too).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NodeTree } from '../files/node-fs.ts';
import { PROJECT_META } from '../core/project/read.ts';
import { SubTree, type FileTree } from '../core/file-tree.ts';
import { openFolder } from '../core/datasets/index.ts';
import type { Project } from '../core/model.ts';
import type { ParsedArgs } from './args.ts';
import { flagString } from './args.ts';

/** The `--split NAME` flag every command that reads a folder accepts (dataset folders; EA projects have none). */
export const SPLIT_FLAG = 'split';

/**
 * Reads the folder a command is given, whatever its layout (an Encord Active project, or a COCO, YOLO or VOC
 * dataset; see core/datasets), with the split `--split` names. `tree` is where the project or dataset was found.
 */
export async function readFolderArg(dir: string, args?: ParsedArgs): Promise<{ tree: FileTree; project: Project }> {
  const base = openProjectDir(dir);
  const split = args ? flagString(args, SPLIT_FLAG) : undefined;
  const opened = await openFolder(base, { split });
  if (opened.root) console.error(`predlens: using the ${opened.layout.label} in ${join(dir, opened.root)}`);
  return { tree: opened.root ? new SubTree(base, opened.root) : base, project: opened.project };
}

/**
 * A NodeTree over the project in `dir`, or in its only sub-folder with a project_meta.yaml (as EA's CLI looks one
 * level down). Lists one directory, never the whole tree.
 */
export function openProjectDir(dir: string): NodeTree {
  const tree = new NodeTree(dir);
  if (!existsSync(tree.root) || !statSync(tree.root).isDirectory()) throw new Error(`${dir}: no such folder`);
  if (existsSync(join(tree.root, PROJECT_META))) return tree;
  const nested = readdirSync(tree.root, { withFileTypes: true })
    .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && existsSync(join(tree.root, e.name, PROJECT_META)))
    .map((e) => e.name)
    .sort();
  if (nested.length > 1)
    throw new Error(`${dir} is not a project but holds several: ${nested.join(', ')}; give one of them`);
  if (nested.length === 1) {
    console.error(`predlens: using the project in ${join(dir, nested[0])}`);
    return new NodeTree(join(tree.root, nested[0]));
  }
  return tree;
}
