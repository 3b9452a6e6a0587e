// Answers the pycocotools stand-in (coco-mask-shim): one JSON line [h, w, polygons] in, one compressed RLE string
// out (frPyObjects + merge, as annToRLE does), until stdin closes.
import { createInterface } from 'node:readline';
import { loadKernels } from '../../src/kernels/node.ts';
import { rleFromPolygon, rleMerge, rleToString } from '../../src/kernels/rle.ts';

const kernels = await loadKernels();
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const [h, w, polygons] = JSON.parse(line) as [number, number, number[][]];
  const rle = rleMerge(
    kernels,
    polygons.map((p) => rleFromPolygon(kernels, p, h, w)),
  );
  process.stdout.write(rleToString(rle) + '\n');
}
