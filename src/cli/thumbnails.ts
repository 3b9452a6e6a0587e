// The Node host's thumbnails for the report: the project's own decoders, the crop scaled by core's box filter, and
// jpeg-js's encoder; one image file is decoded once however many cards show it.
import { encode as encodeJpeg } from 'jpeg-js';
import type { FileTree } from '../core/file-tree.ts';
import { decodeImageRgba, type RgbaImage } from '../core/image-decode.ts';
import { cropAndScale, type ReportItem } from '../core/report/index.ts';

export const JPEG_QUALITY = 80;

/** Adds `thumbnail` (a JPEG data: URI) to every item whose image the tree has; reports the ones it could not read. */
export async function addThumbnails(
  tree: FileTree,
  items: ReportItem[],
  warn: (message: string) => void,
  decode: (path: string) => Promise<RgbaImage> = async (path) => decodeImageRgba(await tree.readBytes(path), path),
): Promise<void> {
  const decoded = new Map<string, Promise<RgbaImage | undefined>>();
  for (const item of items) {
    if (!item.file) continue;
    let image = decoded.get(item.file);
    if (!image) {
      image = decode(item.file).catch((error: unknown) => {
        warn(`${item.file}: ${error instanceof Error ? error.message : String(error)} (its cards show no picture)`);
        return undefined;
      });
      decoded.set(item.file, image);
    }
    const img = await image;
    if (!img) continue;
    // Crops are in the data unit's pixels; a decoded image of another size is scaled to them.
    const fx = img.width / item.width;
    const fy = img.height / item.height;
    const crop = { x: item.crop.x * fx, y: item.crop.y * fy, w: item.crop.w * fx, h: item.crop.h * fy };
    const pixels = cropAndScale(img.rgba, img.width, img.height, crop, item.thumbWidth, item.thumbHeight);
    const jpeg = encodeJpeg({ data: pixels, width: item.thumbWidth, height: item.thumbHeight }, JPEG_QUALITY);
    item.thumbnail = `data:image/jpeg;base64,${Buffer.from(jpeg.data).toString('base64')}`;
  }
}
