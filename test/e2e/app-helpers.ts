// Shared steps for the app's end-to-end tests: expected numbers from the Node reader, fixture folders copied
// into OPFS behind a stubbed directory picker, and canvas pixels read back from the page.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the picker types are ambient declarations
/// <reference path="../../src/fs-access.d.ts" />
import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import { NodeTree } from '../../src/files/node-fs.ts';
import { readProject } from '../../src/core/project/read.ts';
import { summariseProject } from '../../src/core/project/summary.ts';
import type { Project } from '../../src/core/model.ts';
import { fixture, REPO_ROOT } from '../fixtures.ts';

export const EA_MINI = fixture('ea-mini');
export const DEMO = `${REPO_ROOT}/public/demo`;

/** What the Node reader makes of a project folder: the numbers the overview must show. */
export async function readExpected(dir: string) {
  const project = await readProject(new NodeTree(dir));
  return { project, summary: summariseProject(project) };
}

export async function statValue(page: Page, id: string): Promise<number> {
  const text = await page.getByTestId(`stat-${id}`).locator('.value').innerText();
  return Number(text.replace(/[^\d]/g, ''));
}

/** The overview's five headline numbers, once the project is open. */
export async function expectOverviewCounts(page: Page, project: Project) {
  const { summary } = { summary: summariseProject(project) };
  await expect(page.getByTestId('overview-title')).toHaveText(summary.title);
  expect(await statValue(page, 'label-rows')).toBe(summary.labelRows);
  expect(await statValue(page, 'data-units')).toBe(summary.dataUnits);
  expect(await statValue(page, 'frames')).toBe(summary.frames);
  expect(await statValue(page, 'objects')).toBe(summary.objects);
  expect(await statValue(page, 'classifications')).toBe(summary.classifications);
  for (const c of summary.objectsByClass) {
    await expect(page.getByTestId(`count-${c.featureHash}`)).toHaveText(c.count.toLocaleString('en-US'));
  }
}

/** Every file of a folder, base64, keyed by relative path. */
async function folderFiles(dir: string): Promise<Record<string, string>> {
  const tree = new NodeTree(dir);
  const out: Record<string, string> = {};
  for (const path of await tree.list()) out[path] = (await readFile(`${dir}/${path}`)).toString('base64');
  return out;
}

/**
 * Makes window.showDirectoryPicker return an OPFS folder (Playwright cannot answer the real picker), and fills
 * that folder with a copy of `dir` (plus an empty marker file). Call before page.goto.
 */
export async function stubPickerWithFolder(page: Page, dir: string, folder: string) {
  const files = await folderFiles(dir);
  await page.addInitScript(
    ({ folder, files }) => {
      const ready = (async () => {
        const root = await navigator.storage.getDirectory();
        const top = await root.getDirectoryHandle(folder, { create: true });
        // The script runs again on every load; write once per browser context, or a reload would race the app.
        const done = '.e2e-copied';
        if (
          await top.getFileHandle(done).then(
            () => true,
            () => false,
          )
        )
          return top;
        for (const [path, b64] of Object.entries(files)) {
          const parts = path.split('/');
          let at = top;
          for (const part of parts.slice(0, -1)) at = await at.getDirectoryHandle(part, { create: true });
          const writable = await (await at.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
          await writable.write(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
          await writable.close();
        }
        await top.getFileHandle(done, { create: true });
        return top;
      })();
      window.showDirectoryPicker = () => ready;
    },
    { folder, files },
  );
}

/** The RGBA of the canvas at normalised (x, y): the image fills the canvas, so that is the same image point. */
export async function canvasPixel(page: Page, selector: string, x: number, y: number): Promise<number[]> {
  return page.locator(selector).evaluate(
    (canvas: HTMLCanvasElement, [x, y]) => {
      const ctx = canvas.getContext('2d')!;
      const px = Math.floor(x * canvas.width);
      const py = Math.floor(y * canvas.height);
      return Array.from(ctx.getImageData(px, py, 1, 1).data);
    },
    [x, y],
  );
}

export function hexToRgb(hex: string): number[] {
  const n = parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
