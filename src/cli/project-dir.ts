// Opening the project folder a command is given, as Encord Active's CLI does (it looks one level down too).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NodeTree } from '../files/node-fs.ts';
import { PROJECT_META } from '../core/project/read.ts';

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
