// The bench's baseline worker: reads every PNG of an OPFS folder and decodes it with the same decoder the mask
// importer uses (decodeClassMask), nothing else. Import time is compared with this.
import * as Comlink from 'comlink';
import { decodeClassMask } from '../../src/core/png.ts';

const api = {
  async decodeAll(dir: FileSystemDirectoryHandle): Promise<{ ms: number; files: number; pixels: number }> {
    const started = performance.now();
    let files = 0;
    let pixels = 0;
    for await (const [name, entry] of dir.entries()) {
      if (entry.kind !== 'file' || !name.endsWith('.png')) continue;
      const bytes = new Uint8Array(await (await (entry as FileSystemFileHandle).getFile()).arrayBuffer());
      const mask = decodeClassMask(bytes, name);
      pixels += mask.width * mask.height;
      files++;
    }
    return { ms: performance.now() - started, files, pixels };
  },
};

export type BaselineApi = typeof api;
Comlink.expose(api);
