// Frame identity for matching: a data unit plus a frame. EA v0.1.40 keyed frames by a salted hash of
// "<du_hash>_<frame>" and reset any non-zero prediction frame to 0 (spec §3.2); here a video frame is its own frame,
// and an image (or image-group member) is one frame whatever frame number a prediction carries.
import type { DataUnit, Project } from '../../model.ts';
import type { ActiveFrame } from './types.ts';

export class FrameIndex {
  readonly frames: ActiveFrame[] = [];
  readonly #unitIndex = new Map<string, number>();
  readonly #imageFrame = new Map<number, number>();
  readonly #videoFrames = new Map<number, Map<number, number>>();
  readonly #units: DataUnit[];

  constructor(project: Project) {
    this.#units = project.dataUnits;
    project.dataUnits.forEach((du, i) => {
      const key = du.dataHash.toLowerCase();
      if (!this.#unitIndex.has(key)) this.#unitIndex.set(key, i);
    });
  }

  /** Index into project.dataUnits of a data hash (case-insensitive), or -1. */
  unitOf(dataHash: string): number {
    return this.#unitIndex.get(dataHash.toLowerCase()) ?? -1;
  }

  isVideo(unit: number): boolean {
    return this.#units[unit].dataType === 'video';
  }

  /** The frame id of (data unit index, frame), created on first use. */
  frameOf(unit: number, frame: number): number {
    const du = this.#units[unit];
    if (du.dataType !== 'video') {
      let id = this.#imageFrame.get(unit);
      if (id === undefined) {
        id = this.frames.length;
        this.frames.push({ dataHash: du.dataHash, frame: du.sequence, dataUnitIndex: unit });
        this.#imageFrame.set(unit, id);
      }
      return id;
    }
    let byFrame = this.#videoFrames.get(unit);
    if (!byFrame) this.#videoFrames.set(unit, (byFrame = new Map()));
    let id = byFrame.get(frame);
    if (id === undefined) {
      id = this.frames.length;
      this.frames.push({ dataHash: du.dataHash, frame, dataUnitIndex: unit });
      byFrame.set(frame, id);
    }
    return id;
  }
}
