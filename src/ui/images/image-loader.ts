// Decodes project images into ImageBitmaps: a few at a time, newest request first, cached by path and size
// within a pixel budget (full-size photos are large: 12 MP is 48 MB decoded). A request whose card scrolled away
// is dropped from the queue (its signal aborts) before any bytes are read.
import type { FileTree } from '../../core/file-tree.ts';
import { notViewableReason } from '../../core/datasets/paths.ts';

/** An image a browser cannot decode (TIFF, HEIC, DNG, JPEG 2000): listed, never decoded. */
class NotViewableError extends Error {
  constructor(readonly short: string) {
    super(short);
    this.name = 'NotViewableError';
  }
}

interface Job {
  key: string;
  path: string;
  maxSide: number;
  resolve: (bitmap: ImageBitmap) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
}

interface Cached {
  promise: Promise<ImageBitmap>;
  /** Decoded bytes once known (width * height * 4). */
  bytes: number;
}

/** Why an image could not be shown, in the words its placeholder uses. */
function failureText(error: unknown): string {
  if (error instanceof NotViewableError) return error.short;
  return error instanceof DOMException && error.name === 'EncodingError' ? 'File seems broken' : 'Image not found';
}

export class ImageLoader {
  readonly #tree: FileTree;
  readonly #cache = new Map<string, Cached>();
  readonly #capacity: number;
  readonly #budget: number;
  #bytes = 0;
  readonly #concurrency: number;
  readonly #queue: Job[] = [];
  #running = 0;

  constructor(tree: FileTree, options: { capacity?: number; concurrency?: number; budgetBytes?: number } = {}) {
    this.#tree = tree;
    this.#capacity = options.capacity ?? 160;
    this.#budget = options.budgetBytes ?? 384 * 1024 * 1024;
    this.#concurrency = options.concurrency ?? 6;
  }

  /**
   * For views: loads `path` and calls `shown` with the bitmap or `failed` with the placeholder's text, unless
   * `signal` aborted first (the view moved on; its queued request is dropped too).
   */
  show(
    path: string,
    maxSide: number,
    signal: AbortSignal,
    shown: (bitmap: ImageBitmap) => void,
    failed: (text: string) => void,
  ): void {
    this.load(path, maxSide, signal).then(
      (bitmap) => signal.aborted || shown(bitmap),
      (error: unknown) => signal.aborted || failed(failureText(error)),
    );
  }

  /** The image at `path`, scaled down so its longer side is at most `maxSide` (0 = full size). */
  load(path: string, maxSide = 0, signal?: AbortSignal): Promise<ImageBitmap> {
    const key = `${maxSide}:${path}`;
    const cached = this.#cache.get(key);
    if (cached) {
      // Refresh its place in the LRU order.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached.promise;
    }
    const promise = new Promise<ImageBitmap>((resolve, reject) => {
      this.#queue.push({ key, path, maxSide, resolve, reject, signal });
      this.#pump();
    });
    const entry: Cached = { promise, bytes: 0 };
    this.#cache.set(key, entry);
    promise.then(
      (bitmap) => {
        if (this.#cache.get(key) !== entry) return;
        entry.bytes = bitmap.width * bitmap.height * 4;
        this.#bytes += entry.bytes;
        this.#evict();
      },
      () => this.#drop(key),
    );
    this.#evict();
    return promise;
  }

  /** Forgets the least recently used images beyond the count or the byte budget (bitmaps in use stay valid). */
  #evict() {
    while (this.#cache.size > this.#capacity || (this.#bytes > this.#budget && this.#cache.size > 1)) {
      this.#drop(this.#cache.keys().next().value!);
    }
  }

  #drop(key: string) {
    const entry = this.#cache.get(key);
    if (!entry) return;
    this.#bytes -= entry.bytes;
    this.#cache.delete(key);
  }

  #pump() {
    while (this.#running < this.#concurrency && this.#queue.length > 0) {
      // Last in, first out: what the user just scrolled to matters more than what they scrolled past.
      const job = this.#queue.pop()!;
      if (job.signal?.aborted) {
        job.reject(job.signal.reason);
        continue;
      }
      this.#running++;
      this.#decode(job)
        .then(job.resolve, job.reject)
        .finally(() => {
          this.#running--;
          this.#pump();
        });
    }
  }

  async #decode(job: Job): Promise<ImageBitmap> {
    const reason = notViewableReason(job.path);
    // "TIFF images cannot be shown..." -> "TIFF: not viewable in a browser" fits a thumbnail's placeholder.
    if (reason) throw new NotViewableError(`${reason.split(' ')[0]}: not viewable in a browser`);
    const bytes = await this.#tree.readBytes(job.path);
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
    if (job.maxSide <= 0) return createImageBitmap(blob);
    const full = await createImageBitmap(blob);
    const scale = job.maxSide / Math.max(full.width, full.height);
    if (scale >= 1) return full;
    const small = await createImageBitmap(full, {
      resizeWidth: Math.max(1, Math.round(full.width * scale)),
      resizeHeight: Math.max(1, Math.round(full.height * scale)),
      resizeQuality: 'medium',
    });
    full.close();
    return small;
  }
}
