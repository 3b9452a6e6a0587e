// A fingerprint of everything the metrics of a project depend on (data units, sizes, image paths, labels and their
// geometry), so cached metrics are recomputed when a label file changes. Image pixels are not read: replacing an
// image under the same path keeps the fingerprint (the cache's version key or clearing it covers that case).
import type { LabelGeometry, Project } from '../model.ts';

/** Two 32-bit FNV-1a hashes with different offsets: 64 bits, plenty to tell versions of one project apart. */
class Fnv64 {
  #a = 0x811c9dc5;
  #b = 0x050c5d1f;
  readonly #f64 = new Float64Array(1);
  readonly #bytes = new Uint8Array(this.#f64.buffer);

  byte(x: number) {
    this.#a = Math.imul(this.#a ^ x, 0x01000193);
    this.#b = Math.imul(this.#b ^ x, 0x01000193);
  }

  string(s: string) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.byte(c & 0xff);
      this.byte(c >>> 8);
    }
    this.byte(0);
  }

  number(x: number) {
    this.#f64[0] = x;
    for (const b of this.#bytes) this.byte(b);
  }

  hex(): string {
    return (this.#a >>> 0).toString(16).padStart(8, '0') + (this.#b >>> 0).toString(16).padStart(8, '0');
  }
}

function geometry(h: Fnv64, g: LabelGeometry) {
  h.string(g.kind);
  switch (g.kind) {
    case 'box':
    case 'rotatable_box':
      for (const v of Object.values(g.box)) h.number(v);
      break;
    case 'mask':
      h.string(typeof g.mask.counts === 'string' ? g.mask.counts : g.mask.counts.join(','));
      h.number(g.mask.size[0]);
      h.number(g.mask.size[1]);
      break;
    default:
      if ('parts' in g) for (const part of g.parts ?? []) for (const [x, y] of part) h.number(x + 2 * y);
      if ('points' in g)
        for (const [x, y] of g.points) {
          h.number(x);
          h.number(y);
        }
  }
}

export function projectFingerprint(project: Project): string {
  const h = new Fnv64();
  for (const o of project.ontology.objects) {
    h.string(o.featureNodeHash);
    h.string(o.name);
  }
  for (const unit of project.dataUnits) {
    h.string(unit.dataHash);
    h.number(unit.width);
    h.number(unit.height);
    for (const f of unit.frameNumbers) {
      h.number(f);
      h.string(unit.images[f] ?? '');
    }
    for (const frame of unit.frames) {
      h.number(frame.frame);
      for (const o of frame.objects) {
        h.string(o.objectHash);
        h.string(o.featureHash);
        geometry(h, o.geometry);
      }
    }
  }
  return h.hex();
}
