// The image browser's state with runes: paging clamps to the pages there are, the detail view keeps the page in
// step, filters by class, and video frames. The URL is the only store, as in the app (a fake router holds it).
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import type { DataUnit, LabelObject, Project } from '../../src/core/model.ts';
import { MemoryTree } from '../../src/core/file-tree.ts';
import { ImageBrowser, PAGE_SIZE, framesOf } from '../../src/ui/images/browser.svelte.ts';
import type { Router } from '../../src/ui/state/router.svelte.ts';
import { parseHash, formatHash } from '../../src/ui/state/router.svelte.ts';

class FakeRouter {
  route = $state.raw(parseHash('#/demo/images'));
  history: string[] = [];
  setParams(params: Record<string, string | number | undefined>, replace = false) {
    const next = new URLSearchParams(this.route.params);
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    const hash = formatHash(this.route.scope, this.route.page, next);
    if (!replace) this.history.push(hash);
    this.route = parseHash(hash);
  }
}

const car: LabelObject = {
  objectHash: 'o1',
  featureHash: 'car',
  name: 'Car',
  color: '#ff0000',
  shape: 'bounding_box',
  geometry: { kind: 'box', box: { x: 0, y: 0, w: 1, h: 1 } },
};

function unit(i: number, labelled: boolean): DataUnit {
  return {
    dataHash: `du-${i}`,
    labelHash: `lr-${i}`,
    title: `img_${i}.png`,
    dataType: 'image',
    mime: 'image/png',
    width: 10,
    height: 10,
    sequence: 0,
    frames: [{ frame: 0, objects: labelled ? [car] : [], classifications: [] }],
    images: { 0: `data/lr-${i}/images/du-${i}.png` },
    frameNumbers: [0],
  };
}

function project(units: DataUnit[]): Project {
  return {
    source: 'test',
    meta: { project_title: 't', project_hash: 'h' },
    ontology: { objects: [], classifications: [] },
    labelRows: [],
    dataUnits: units,
    byDataHash: new Map(units.map((u) => [u.dataHash, u])),
    problems: [],
    skipped: {},
  };
}

function browserOver(units: DataUnit[]) {
  const router = new FakeRouter();
  const browser = new ImageBrowser(project(units), new MemoryTree('t', {}), router as unknown as Router);
  return { router, browser };
}

describe('ImageBrowser', () => {
  it('pages through the units and clamps a page number from the URL', () => {
    const units = Array.from({ length: PAGE_SIZE * 2 + 4 }, (_, i) => unit(i, i % 2 === 0));
    const { router, browser } = browserOver(units);
    expect(browser.pageCount).toBe(3);
    expect(browser.page).toBe(1);
    expect(browser.pageItems.map((u) => u.dataHash)).toEqual(units.slice(0, PAGE_SIZE).map((u) => u.dataHash));
    router.route = parseHash('#/demo/images?page=99');
    expect(browser.page).toBe(3);
    expect(browser.pageItems).toHaveLength(4);
    browser.setPage(2);
    expect(router.route.params.get('page')).toBe('2');
    browser.setPage(1);
    expect(router.route.params.has('page')).toBe(false);
  });

  it('opens a unit on its page and steps across page boundaries', () => {
    const units = Array.from({ length: PAGE_SIZE + 10 }, (_, i) => unit(i, true));
    const { router, browser } = browserOver(units);
    browser.open(units[PAGE_SIZE - 1]);
    flushSync();
    expect(browser.detail?.unit).toBe(units[PAGE_SIZE - 1]);
    expect(browser.page).toBe(1);
    browser.step(1);
    expect(browser.detail?.index).toBe(PAGE_SIZE);
    expect(browser.page).toBe(2);
    expect(router.route.params.get('du')).toBe(`du-${PAGE_SIZE}`);
    browser.step(-5);
    expect(browser.detail?.index).toBe(PAGE_SIZE - 5);
    expect(browser.page).toBe(1);
    browser.close();
    expect(browser.detail).toBeUndefined();
    expect(browser.page).toBe(1);
  });

  it('filters by class and by having no labels, and resets the page', () => {
    const units = Array.from({ length: 10 }, (_, i) => unit(i, i < 3));
    const { router, browser } = browserOver(units);
    router.route = parseHash('#/demo/images?page=1');
    browser.setFilter('car');
    expect(browser.items.map((u) => u.dataHash)).toEqual(['du-0', 'du-1', 'du-2']);
    browser.setFilter('unlabelled');
    expect(browser.items).toHaveLength(7);
    browser.setFilter('');
    expect(browser.items).toHaveLength(10);
    expect(router.route.params.toString()).toBe('');
  });

  it('steps through the frames of a video and ignores frames it does not have', () => {
    const video: DataUnit = {
      ...unit(0, false),
      dataType: 'video',
      mime: 'video/mp4',
      frames: [{ frame: 2, objects: [car], classifications: [] }],
      images: { 0: 'a_0.png', 2: 'a_2.png', 5: 'a_5.png' },
      frameNumbers: [0, 2, 5],
    };
    const { router, browser } = browserOver([video]);
    expect(framesOf(video)).toEqual([0, 2, 5]);
    browser.open(video, 7);
    expect(browser.detail?.frame).toBe(0);
    browser.stepFrame(1);
    expect(browser.detail?.frame).toBe(2);
    browser.stepFrame(1);
    browser.stepFrame(1);
    expect(browser.detail?.frame).toBe(5);
    expect(router.route.params.get('frame')).toBe('5');
  });
});

describe('hash routes', () => {
  it('parse and format scope, page and params', () => {
    expect(parseHash('')).toMatchObject({ scope: null, page: '' });
    expect(parseHash('#/demo')).toMatchObject({ scope: 'demo', page: '' });
    const r = parseHash('#/project/images?page=3&du=abc');
    expect(r).toMatchObject({ scope: 'project', page: 'images' });
    expect(r.params.get('page')).toBe('3');
    expect(formatHash('project', 'images', r.params)).toBe('#/project/images?page=3&du=abc');
    expect(parseHash('#/elsewhere/overview').scope).toBeNull();
  });
});
