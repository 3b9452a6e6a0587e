// Box IoU has no wasm kernel: a matrix is a few thousand pairs of four numbers, so copying into linear memory
// would cost more than the arithmetic. The exact pycocotools (float64) and torchvision (float32) formulas live in
// src/kernels/boxes.ts. This module stays so that assembly/index.ts can keep re-exporting it.
