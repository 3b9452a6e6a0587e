// A FileTree described as plain, structured-cloneable data, so a worker can rebuild it: a directory handle,
// File objects, or a URL prefix. `root` selects a sub-folder (a project one level down).
import { SubTree, type FileTree } from '../core/file-tree.ts';
import { DirectoryHandleTree } from '../files/directory-handle.ts';
import { FileListTree, type FileEntry } from '../files/file-list.ts';
import { UrlTree } from '../files/url-prefix.ts';

export type TreeSource = (
  | { kind: 'handle'; handle: FileSystemDirectoryHandle }
  | { kind: 'files'; name: string; entries: FileEntry[] }
  | { kind: 'url'; base: string; name: string }
) & { root?: string };

export function treeFromSource(source: TreeSource): FileTree {
  const tree =
    source.kind === 'handle'
      ? new DirectoryHandleTree(source.handle)
      : source.kind === 'files'
        ? new FileListTree(source.name, source.entries)
        : new UrlTree(source.base, { name: source.name });
  return source.root ? new SubTree(tree, source.root) : tree;
}

/** The source a tree was made from, when it can be rebuilt elsewhere (a worker); undefined otherwise. */
export function sourceOfTree(tree: FileTree): TreeSource | undefined {
  if (tree instanceof SubTree) return undefined;
  if (tree instanceof DirectoryHandleTree) return { kind: 'handle', handle: tree.handle };
  if (tree instanceof FileListTree) return { kind: 'files', name: tree.name, entries: tree.entries() };
  if (tree instanceof UrlTree) return { kind: 'url', base: tree.prefix.href, name: tree.name };
  return undefined;
}
