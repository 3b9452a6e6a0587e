// Saving what the evaluation worker made: one file as it is, several as one store-only zip (a browser may refuse a
// burst of downloads from one click).
import { exportStem, zipStore } from '../../core/export/index.ts';
import { readImageDataUnits } from '../../core/formats/coco-results.ts';
import type { FileTree } from '../../core/file-tree.ts';
import type { ExportedFile } from '../../workers/eval-exports.ts';
import { saveFile } from './download.ts';

export function saveExported(files: ExportedFile[], stem: string, zipName = 'files.zip'): void {
  if (files.length === 1) {
    const [file] = files;
    saveFile(`${stem}-${file.name}`, file.data, file.mime);
    return;
  }
  const zip = zipStore(files.map((f) => ({ path: `${stem}-${f.name}`, data: f.data })));
  saveFile(`${stem}-${zipName}`, zip, 'application/zip');
}

/** The project's image_data_unit.json (COCO image ids of projects made from COCO), when the folder has one. */
export async function imageDataUnitsOf(tree: FileTree | undefined) {
  if (!tree) return undefined;
  try {
    return await readImageDataUnits(tree);
  } catch {
    return undefined;
  }
}

export { exportStem };
