// The `ontology` and `info` commands as a user runs them: node bin/predlens.js ..., stdout, stderr, exit code.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../fixtures.ts';

const run = promisify(execFile);
const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function predlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/predlens.js', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('predlens ontology', () => {
  it('prints what encord-active print ontology prints for ea-mini', async () => {
    const { code, stdout, stderr } = await predlens('ontology', fixture('ea-mini'));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      '{\n  "objects": {\n    "car": "XO9aOmE8",\n    "cat": "d9qhuTio"\n  },\n  "classifications": {}\n}\n',
    );
  });

  it('prints radio options with --json, as JSON only', async () => {
    const dir = tempDir('predlens-ontology-');
    writeFileSync(
      join(dir, 'ontology.json'),
      JSON.stringify({
        objects: [{ id: '1', name: 'Blob', color: '#000000', shape: 'bitmask', featureNodeHash: 'blob0001' }],
        classifications: [
          {
            id: '2',
            featureNodeHash: 'tod00001',
            attributes: [
              {
                id: '2.1',
                name: 'Time of day',
                type: 'radio',
                featureNodeHash: 'todattr1',
                required: true,
                dynamic: false,
                options: [{ id: '2.1.1', label: 'Night', value: 'night', featureNodeHash: 'night001' }],
              },
            ],
          },
        ],
      }),
    );
    const plain = await predlens('ontology', dir);
    expect(plain.stderr).toMatch(/^warning: ontology\.json objects\[0\]: object "Blob" has shape "bitmask"/);
    const json = await predlens('ontology', dir, '--json');
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual({
      objects: { blob: 'blob0001' },
      classifications: { night: { feature_hash: 'tod00001', attribute_hash: 'todattr1', option_hash: 'night001' } },
    });
  });

  it('fails with exit 1 naming ontology.json when it is missing, exit 2 on bad usage', async () => {
    const missing = await predlens('ontology', fixture('real'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ontology\.json is missing/);
    const usage = await predlens('ontology');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Usage: predlens ontology <project-dir>/);
  });
});

describe('predlens info', () => {
  it('prints the summary of ea-mini as JSON', async () => {
    const { code, stdout } = await predlens('info', fixture('ea-mini'), '--json');
    expect(code).toBe(0);
    const s = JSON.parse(stdout);
    expect(s).toMatchObject({
      title: 'ea-mini',
      labelRows: 2,
      dataUnits: 2,
      frames: 2,
      objects: 4,
      skipped: {},
      problems: 0,
    });
    expect(s.objectsByClass.map((c: { name: string; count: number }) => [c.name, c.count])).toEqual([
      ['Car', 3],
      ['Cat', 1],
    ]);
  });

  it('prints a table a person can read', async () => {
    const { code, stdout } = await predlens('info', fixture('ea-mini'));
    expect(code).toBe(0);
    expect(stdout).toContain('Label rows       2\n');
    expect(stdout).toMatch(/\n {2}Car {4}bounding_box {2}XO9aOmE8 {10}3\n/);
    expect(stdout).toContain('Skipped          nothing');
  });

  it('finds the project one folder down, and says what a project needs when there is none', async () => {
    const dir = tempDir('predlens-parent-');
    symlinkSync(fixture('ea-mini'), join(dir, 'unpacked'));
    const parent = await predlens('info', dir, '--json');
    expect(parent.code).toBe(0);
    expect(parent.stderr).toMatch(/using the project in .*unpacked/);
    expect(JSON.parse(parent.stdout).objects).toBe(4);
    const none = await predlens('info', fixture('kitti'));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /kitti is not an Encord Active project: project_meta\.yaml is missing\. An Encord Active project folder holds/,
    );
  });
});
