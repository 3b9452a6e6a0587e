// FileTree over Node's fs, for the CLI and tests.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { FileMissingError, normalisePath, NotAFileError, type FileTree } from '../core/file-tree.ts';

export class NodeTree implements FileTree {
  readonly root: string;
  readonly name: string;
  constructor(root: string) {
    this.root = resolve(root);
    this.name = basename(this.root);
  }
  async list(prefix = '') {
    const out: string[] = [];
    const walk = async (rel: string) => {
      let entries;
      try {
        entries = await readdir(join(this.root, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const path = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) await walk(path);
        else if (e.isFile() || e.isSymbolicLink()) out.push(path);
      }
    };
    await walk(normalisePath(prefix));
    return out.sort();
  }
  async exists(path: string) {
    try {
      await stat(join(this.root, normalisePath(path)));
      return true;
    } catch {
      return false;
    }
  }
  async readBytes(path: string) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.root, normalisePath(path)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw new NotAFileError(this.root, path);
      throw new FileMissingError(this.root, path);
    }
    // A view, not a copy: annotation files run to hundreds of megabytes.
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  async readText(path: string) {
    // TextDecoder drops a UTF-8 byte-order mark, which JSON.parse would refuse.
    return new TextDecoder().decode(await this.readBytes(path));
  }
  async *stream(path: string): AsyncIterable<Uint8Array> {
    let file;
    try {
      file = await open(join(this.root, normalisePath(path)), 'r');
    } catch {
      throw new FileMissingError(this.root, path);
    }
    try {
      for (;;) {
        const buffer = new Uint8Array(1 << 24);
        const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) return;
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await file.close();
    }
  }
  async readHead(path: string, length: number) {
    let file;
    try {
      file = await open(join(this.root, normalisePath(path)), 'r');
    } catch {
      throw new FileMissingError(this.root, path);
    }
    try {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await file.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }
}
