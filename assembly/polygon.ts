// Polygon utilities have no wasm kernel: area, orientation, bounds, validation and Douglas-Peucker are single
// passes over at most a few hundred vertices held as JS arrays, so copying them into linear memory would cost
// more than the work. They live in src/kernels/polygon.ts. Pixel-exact rasterisation is in raster.ts (Encord
// Active / OpenCV) and rle.ts (pycocotools). This module stays so that assembly/index.ts can keep re-exporting it.
