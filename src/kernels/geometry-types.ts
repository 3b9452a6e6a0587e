// Geometric primitives shared by the kernels and the data model (src/core/model.ts re-exports them).
// Coordinates are normalised to [0, 1] of the image's width and height unless a name says "px".

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Degrees, rotatable boxes only. */
  theta?: number;
}

/** Normalised [x, y] vertices in file order. */
export type Points = [number, number][];

/** COCO run-length encoding: column-major runs starting with a 0-run, as pycocotools writes it. */
export interface CocoRle {
  size: [height: number, width: number];
  /** The compressed string form, or the run lengths. */
  counts: string | number[];
}
