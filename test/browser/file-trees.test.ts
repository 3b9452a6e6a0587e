// The browser FileTree backings over real browser objects: an OPFS directory handle and File lists.
import { describe, expect, it } from 'vitest';
import { FileMissingError } from '../../src/core/file-tree.ts';
import { DirectoryHandleTree } from '../../src/files/directory-handle.ts';
import { DropError, FileListTree, readDrop } from '../../src/files/file-list.ts';

async function writeOpfs(folder: string, files: Record<string, string>): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(folder, { recursive: true }).catch(() => undefined);
  const dir = await root.getDirectoryHandle(folder, { create: true });
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    let at = dir;
    for (const part of parts.slice(0, -1)) at = await at.getDirectoryHandle(part, { create: true });
    const writable = await (await at.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
    await writable.write(text);
    await writable.close();
  }
  return dir;
}

const FILES = {
  'project_meta.yaml': 'project_hash: abc\n',
  'data/row-1/label_row.json': '{"a":1}',
  'data/row-1/images/du-1.png': 'png bytes',
  'data/row-2/images/du-2_0.png': 'frame 0',
  '.git/HEAD': 'ref: refs/heads/main',
};

describe('DirectoryHandleTree', () => {
  it('lists recursively and sorted, reads text and bytes, and answers exists', async () => {
    const tree = new DirectoryHandleTree(await writeOpfs('tree-test', FILES));
    expect(tree.name).toBe('tree-test');
    // .git is never walked (EA's visualize makes the project a git repository).
    expect(await tree.list()).toEqual([
      'data/row-1/images/du-1.png',
      'data/row-1/label_row.json',
      'data/row-2/images/du-2_0.png',
      'project_meta.yaml',
    ]);
    expect(await tree.list('data/row-2')).toEqual(['data/row-2/images/du-2_0.png']);
    expect(await tree.list('nowhere')).toEqual([]);
    expect(await tree.readText('./project_meta.yaml')).toBe('project_hash: abc\n');
    expect(new TextDecoder().decode(await tree.readBytes('data/row-1/images/du-1.png'))).toBe('png bytes');
    expect(await tree.exists('data/row-1/label_row.json')).toBe(true);
    expect(await tree.exists('data/row-1')).toBe(false);
    expect(await tree.exists('data/row-9/label_row.json')).toBe(false);
    await expect(tree.readText('ontology.json')).rejects.toBeInstanceOf(FileMissingError);
    const url = await tree.url('data/row-1/images/du-1.png');
    expect(await (await fetch(url)).text()).toBe('png bytes');
    URL.revokeObjectURL(url);
  });
});

describe('FileListTree', () => {
  it('strips the picked folder from webkitRelativePath, as <input webkitdirectory> gives it', async () => {
    const files = Object.entries(FILES).map(([path, text]) => {
      const file = new File([text], path.split('/').at(-1)!);
      Object.defineProperty(file, 'webkitRelativePath', { value: `my-project/${path}` });
      return file;
    });
    const tree = FileListTree.fromInput(files);
    expect(tree.name).toBe('my-project');
    expect(await tree.list('data')).toEqual([
      'data/row-1/images/du-1.png',
      'data/row-1/label_row.json',
      'data/row-2/images/du-2_0.png',
    ]);
    expect(await tree.readText('data/row-1/label_row.json')).toBe('{"a":1}');
    expect(await tree.exists('my-project/project_meta.yaml')).toBe(false);
    // The entries are plain File objects: they survive a structured clone (how they reach the worker).
    const cloned = structuredClone(tree.entries());
    expect(new FileListTree('copy', cloned).size).toBe(tree.size);
  });
});

describe('readDrop', () => {
  it('refuses a drop of a single file, saying to drop the project folder', async () => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'label_row.json'));
    const error = await readDrop(data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DropError);
    expect((error as Error).message).toMatch(/project folder/);
  });

  it('says what to do when a drop holds no files at all', async () => {
    const data = new DataTransfer();
    data.items.add('just text', 'text/plain');
    await expect(readDrop(data)).rejects.toThrow(/drag a project folder/);
  });
});
