// `predlens info --json` and `predlens ontology` on a freshly generated demo project, as a user would run them.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDemo } from '../../scripts/make-demo.ts';
import { DEMO_SEED } from '../../scripts/demo/scene.ts';
import { REPO_ROOT } from '../fixtures.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'predlens-cli-demo-'));
const { scene } = await makeDemo(dir, DEMO_SEED, []);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('predlens on the demo project', () => {
  it('info --json reports the counts the overview shows', async () => {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', 'info', dir, '--json'], { cwd: REPO_ROOT });
    expect(stderr).toBe('');
    const s = JSON.parse(stdout);
    const labels = scene.labelRows.flatMap((r) => r.units.flatMap((u) => u.frames.flatMap((f) => f.labels)));
    const count = (name: string) => labels.filter((l) => l.className === name).length;
    expect(s).toMatchObject({
      title: 'predlens demo',
      projectHash: scene.projectHash,
      labelRows: 32,
      dataUnits: 35,
      dataUnitsByType: { image: 30, img_group: 4, video: 1 },
      frames: 46,
      images: 34,
      videoFrames: 12,
      objects: labels.length,
      classifications: 42,
      skipped: {},
      problems: 0,
    });
    expect(s.objectsByClass.map((c: { name: string; count: number }) => [c.name, c.count])).toEqual(
      ['Car', 'Pedestrian', 'Dog', 'Road sign'].map((n) => [n, count(n)]),
    );
    expect(s.classificationsByOption.map((o: { value: string }) => o.value)).toEqual(['day', 'dusk', 'night']);
    expect(s.classificationsByOption.reduce((n: number, o: { count: number }) => n + o.count, 0)).toBe(42);
  });

  it('ontology prints the demo classes and time-of-day options with their hashes', async () => {
    const { stdout } = await run('node', ['bin/predlens.js', 'ontology', dir], { cwd: REPO_ROOT });
    const printout = JSON.parse(stdout);
    expect(printout.objects).toEqual(
      Object.fromEntries(scene.classes.map((c) => [c.name.toLowerCase(), c.featureNodeHash])),
    );
    const night = scene.timeOfDay.options.find((o) => o.value === 'night')!;
    expect(printout.classifications.night).toEqual({
      feature_hash: scene.timeOfDay.featureNodeHash,
      attribute_hash: scene.timeOfDay.attributeHash,
      option_hash: night.featureNodeHash,
    });
  });
});
