// Where prediction files come from, as a TreeSource the import worker can rebuild: picked files, a picked folder,
// a drop (files and folders mixed), or a demo set served with the demo project.
import type { FileEntry } from '../../../files/file-list.ts';
import type { TreeSource } from '../../../workers/tree-source.ts';
import { pushAll } from '../../../core/array.ts';

export interface ChosenSource {
  source: TreeSource;
  /** For the page: "results.json", "yolo-preds (120 files)". */
  label: string;
}

/** Files from <input type=file multiple> (paths = names) or <input webkitdirectory> (the folder name cut off). */
export function sourceFromInput(files: FileList | readonly File[]): ChosenSource | undefined {
  const list = Array.from(files);
  if (list.length === 0) return undefined;
  const folder = list[0].webkitRelativePath?.includes('/') ? list[0].webkitRelativePath.split('/')[0] : undefined;
  const entries: FileEntry[] = list.map((file) => ({
    path: folder ? file.webkitRelativePath.slice(folder.length + 1) : file.name,
    file,
  }));
  const name = folder ?? (list.length === 1 ? list[0].name : 'chosen files');
  return { source: { kind: 'files', name, entries }, label: labelOf(name, entries.length, !!folder) };
}

function labelOf(name: string, count: number, folder: boolean): string {
  return folder || count > 1 ? `${name} (${count.toLocaleString()} files)` : name;
}

export class DropError extends Error {}

/**
 * Reads a drop: one folder becomes the root (its handle is kept where the browser gives one); loose files and
 * several folders are gathered under one root. Call from the drop handler itself: DataTransfer items stop working
 * once the event returns, so every handle and entry is requested before the first await.
 */
export function readPredictionDrop(data: DataTransfer): Promise<ChosenSource> {
  const items = Array.from(data.items).filter((item) => item.kind === 'file');
  const handles = items.map((item) => item.getAsFileSystemHandle?.() ?? Promise.resolve(null));
  const entries = items.map((item) => item.webkitGetAsEntry());
  const plainFiles = items.map((item) => item.getAsFile());
  return (async () => {
    if (items.length === 0) throw new DropError('Nothing to import in that drop: drag prediction files or a folder.');
    const resolved = await Promise.all(handles.map((p) => p.catch(() => null)));
    if (resolved.length === 1 && resolved[0]?.kind === 'directory') {
      const handle = resolved[0] as FileSystemDirectoryHandle;
      return { source: { kind: 'handle', handle }, label: handle.name };
    }
    const all: FileEntry[] = [];
    for (const [i, entry] of entries.entries()) {
      if (entry?.isDirectory) pushAll(all, await walk(entry as FileSystemDirectoryEntry, entry.name));
      else if (plainFiles[i]) all.push({ path: plainFiles[i]!.name, file: plainFiles[i]! });
    }
    if (all.length === 0) throw new DropError('The drop held no readable files.');
    const single = entries.length === 1 && !!entries[0]?.isDirectory;
    const name = single ? entries[0]!.name : all.length === 1 ? all[0].path : 'dropped files';
    const rooted = single ? all.map((e) => ({ ...e, path: e.path.slice(name.length + 1) })) : all;
    return { source: { kind: 'files', name, entries: rooted }, label: labelOf(name, rooted.length, single) };
  })();
}

async function walk(dir: FileSystemDirectoryEntry, at: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const reader = dir.createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const entry of batch) {
      const path = `${at}/${entry.name}`;
      if (entry.isDirectory) pushAll(out, await walk(entry as FileSystemDirectoryEntry, path));
      else
        out.push({ path, file: await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej)) });
    }
  }
  return out;
}

/** One demo prediction set, as scripts/demo/predictions.ts lists them in predictions/index.json. */
export interface DemoSet {
  id: string;
  format: string;
  label: string;
  path: string;
  files: string[];
  predictions: number | null;
  note: string;
}

/** The demo's prediction sets; none when the demo was built without them. */
export async function loadDemoSets(demoBase: string): Promise<DemoSet[]> {
  try {
    const response = await fetch(new URL('predictions/index.json', demoBase));
    if (!response.ok) return [];
    return ((await response.json()) as { sets: DemoSet[] }).sets;
  } catch {
    return [];
  }
}

export function demoSource(demoBase: string, set: DemoSet): ChosenSource {
  return { source: { kind: 'url', base: demoBase, name: 'demo', root: set.path }, label: `demo: ${set.label}` };
}
