// The image browser's state: which data units are listed (a class filter), which page, which one is open in
// the detail view and at which frame, and whether labels are drawn. Page, unit, frame and filter live in the URL.
import type { DataUnit, LabelObject, FrameLabels, Project } from '../../core/model.ts';
import { imagePathFor } from '../../core/project/images.ts';
import type { FileTree } from '../../core/file-tree.ts';
import type { Router } from '../state/router.svelte.ts';
import { ImageLoader } from './image-loader.ts';
import {
  matchesOutcome,
  OUTCOME_FILTERS,
  worstFirstUnits,
  type ImageTriage,
  type OutcomeFilter,
} from './triage.svelte.ts';

export const PAGE_SIZE = 48;
const LABELS_PREF = 'predlens.showLabels';

/** '' = every data unit, 'unlabelled' = units without object labels, else a class featureHash. */
export type UnitFilter = string;

/** The frames a unit can show: every decoded frame of a video, the one frame of an image. */
export function framesOf(unit: DataUnit): number[] {
  if (unit.dataType === 'video')
    return unit.frameNumbers.length > 0 ? unit.frameNumbers : unit.frames.map((f) => f.frame);
  return [unit.frames[0]?.frame ?? unit.sequence];
}

export function labelsAt(unit: DataUnit, frame: number): FrameLabels | undefined {
  if (unit.dataType !== 'video') return unit.frames[0];
  return unit.frames.find((f) => f.frame === frame);
}

export function imageAt(unit: DataUnit, frame: number): string | undefined {
  return imagePathFor(unit, frame);
}

function readPref(): boolean {
  try {
    return localStorage.getItem(LABELS_PREF) !== 'off';
  } catch {
    return true;
  }
}

export class ImageBrowser {
  readonly project: Project;
  readonly loader: ImageLoader;
  readonly #router: Router;
  showLabels = $state(readPref());

  readonly filter: UnitFilter;
  /** With a run chosen (triage): keep only units with this outcome, and list the worst first. */
  readonly outcome: OutcomeFilter;
  readonly worstFirst: boolean;
  readonly triage: ImageTriage | undefined;
  readonly items: DataUnit[];
  readonly pageCount: number;
  /** 1-based, clamped to the pages there are. */
  readonly page: number;
  readonly pageItems: DataUnit[];
  /** The unit open in the detail view, if any. */
  readonly detail: { unit: DataUnit; index: number; frame: number } | undefined;

  constructor(project: Project, tree: FileTree, router: Router, triage?: ImageTriage) {
    this.project = project;
    this.loader = new ImageLoader(tree);
    this.#router = router;
    this.triage = triage;
    this.filter = $derived(router.route.params.get('class') ?? '');
    this.outcome = $derived.by(() => {
      const o = router.route.params.get('outcome') ?? '';
      return o in OUTCOME_FILTERS ? (o as OutcomeFilter) : '';
    });
    this.worstFirst = $derived(router.route.params.get('sort') === 'worst');
    this.items = $derived.by(() => {
      const f = this.filter;
      let units = this.project.dataUnits;
      if (f) {
        // Datasets: images with VOC difficult objects, or with COCO crowd regions.
        const matches = (o: LabelObject) =>
          f === 'unlabelled' ||
          (f === 'difficult'
            ? o.dataset?.difficult === true
            : f === 'crowd'
              ? o.dataset?.iscrowd === true
              : o.featureHash === f);
        units = units.filter((u) => {
          const has = u.frames.some((fr) => fr.objects.some(matches));
          return f === 'unlabelled' ? !has : has;
        });
      }
      const t = this.triage;
      if (!t || t.status !== 'ready') return units;
      if (this.outcome) units = units.filter((u) => matchesOutcome(t.outcomeOf(u), this.outcome));
      return this.worstFirst ? worstFirstUnits(units, (u) => t.outcomeOf(u)) : units;
    });
    this.pageCount = $derived(Math.max(1, Math.ceil(this.items.length / PAGE_SIZE)));
    this.page = $derived.by(() => {
      const n = Number.parseInt(this.params.get('page') ?? '1', 10);
      return Math.min(this.pageCount, Math.max(1, Number.isFinite(n) ? n : 1));
    });
    this.pageItems = $derived(this.items.slice((this.page - 1) * PAGE_SIZE, this.page * PAGE_SIZE));
    this.detail = $derived.by(() => {
      const hash = this.params.get('du');
      if (!hash) return undefined;
      const index = this.items.findIndex((u) => u.dataHash === hash);
      if (index < 0) return undefined;
      const unit = this.items[index];
      const frames = framesOf(unit);
      const asked = Number.parseInt(this.params.get('frame') ?? '', 10);
      return { unit, index, frame: frames.includes(asked) ? asked : frames[0] };
    });
  }

  get params(): URLSearchParams {
    return this.#router.route.params;
  }

  setPage(page: number) {
    const p = Math.min(this.pageCount, Math.max(1, page));
    if (p !== this.page) this.#router.setParams({ page: p === 1 ? undefined : p });
  }

  setOutcome(outcome: OutcomeFilter) {
    this.#router.setParams({ outcome: outcome || undefined, page: undefined, du: undefined, frame: undefined });
  }

  setWorstFirst(on: boolean) {
    this.#router.setParams({ sort: on ? 'worst' : undefined, page: undefined });
  }

  setFilter(filter: UnitFilter) {
    this.#router.setParams({ class: filter || undefined, page: undefined, du: undefined, frame: undefined });
  }

  open(unit: DataUnit, frame?: number) {
    const index = this.items.indexOf(unit);
    const page = Math.floor(Math.max(0, index) / PAGE_SIZE) + 1;
    this.#router.setParams({ du: unit.dataHash, frame, page: page === 1 ? undefined : page });
  }

  close() {
    this.#router.setParams({ du: undefined, frame: undefined });
  }

  /** The detail view's previous/next unit; keeps the page in step with it. */
  step(delta: number) {
    const d = this.detail;
    if (!d) return;
    const next = this.items[d.index + delta];
    if (next) {
      const page = Math.floor((d.index + delta) / PAGE_SIZE) + 1;
      this.#router.setParams({ du: next.dataHash, frame: undefined, page: page === 1 ? undefined : page }, true);
    }
  }

  setFrame(frame: number) {
    this.#router.setParams({ frame }, true);
  }

  /** The previous/next frame of the open video. */
  stepFrame(delta: number) {
    const d = this.detail;
    if (!d) return;
    const frames = framesOf(d.unit);
    const next = frames[frames.indexOf(d.frame) + delta];
    if (next !== undefined) this.setFrame(next);
  }

  toggleLabels() {
    this.showLabels = !this.showLabels;
    try {
      localStorage.setItem(LABELS_PREF, this.showLabels ? 'on' : 'off');
    } catch {
      // Storage may be off; the toggle still works for this visit.
    }
  }
}
