// The Import flow's state (import.svelte.ts) against a stand-in import client: the detected format and a default
// name are proposed, a class map is passed only when the user changed a class, progress and cancel behave, and a
// finished import reports its run.
import { describe, expect, it, vi } from 'vitest';
import type { PredictionRunInfo } from '../../src/core/model.ts';
import type {
  ImportClient,
  ImportProgressEvent,
  ImportRunOutcome,
  MappingInfo,
} from '../../src/workers/import-client.ts';
import { defaultRunName, ImportFlow } from '../../src/ui/pages/import/import.svelte.ts';
import type { ChosenSource } from '../../src/ui/pages/import/sources.ts';

const chosen: ChosenSource = {
  source: { kind: 'url', base: 'http://x/', name: 'demo', root: 'predictions/yolo' },
  label: 'demo: YOLO txt',
};

const mapping: MappingInfo = {
  format: 'yolo',
  mapsClasses: true,
  keyLabel: 'YOLO class index',
  classes: [
    { key: '0', count: 10, target: 'carHash' },
    { key: '1', count: 4, target: 'personHash' },
    { key: '7', count: 1 },
  ],
  classesNote: 'default',
  matchesFiles: true,
  matches: [],
  matchesNote: '',
};

const info: PredictionRunInfo = {
  id: 'run-1',
  name: 'x',
  createdAt: '2026-01-01T00:00:00.000Z',
  format: 'yolo',
  sources: [],
  counts: { predictions: 14, boxes: 14, polygons: 0, masks: 0, classifications: 0 },
  warnings: [],
  rejected: 1,
};

function fakeClient(
  run: (req: unknown, onProgress: (e: ImportProgressEvent) => void, signal?: AbortSignal) => Promise<ImportRunOutcome>,
) {
  const client = {
    formats: vi.fn(async () => [
      { id: 'yolo' as const, label: 'YOLO' },
      { id: 'coco' as const, label: 'COCO' },
    ]),
    inspect: vi.fn(async () => ({
      name: 'yolo',
      files: ['a.txt', 'b.txt'],
      detection: { format: 'yolo' as const, reason: 'YOLO rows' },
    })),
    mapping: vi.fn(async (_s: unknown, format: string) => ({ ...mapping, format }) as MappingInfo),
    importRun: vi.fn(run),
  };
  return { client, get: async () => client as unknown as ImportClient };
}

const outcome: ImportRunOutcome = {
  info,
  report: {
    imported: 14,
    rejected: [{ file: 'b.txt', record: 3, reason: 'class 7 has no object' }],
    warnings: [],
    rejectedTotal: 1,
  },
  readMs: 5,
  saveMs: 2,
};

describe('import flow state', () => {
  it('proposes the detected format and a "<format> · <files> · <date>" name, and maps classes only when the user changed one', async () => {
    const { client, get } = fakeClient(async () => outcome);
    const flow = new ImportFlow(get, () => {});
    await flow.choose(chosen);
    expect(flow.step).toBe('review');
    expect(flow.format).toBe('yolo');
    expect(flow.name).toMatch(/^YOLO · .+ · \d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(flow.mapping?.classes).toHaveLength(3);
    expect(flow.classMap).toBeUndefined();

    flow.setTarget('7', 'personHash');
    expect(flow.classMap).toEqual({ '0': 'carHash', '1': 'personHash', '7': 'personHash' });
    flow.setTarget('0', '');
    expect(flow.classMap).toEqual({ '1': 'personHash', '7': 'personHash' });

    // Changing the format proposes that format's name unless the user typed one; the class edits are dropped.
    await flow.setFormat('coco');
    expect(flow.name.startsWith('COCO · ')).toBe(true);
    expect(flow.classMap).toBeUndefined();
    flow.setName('my run');
    await flow.setFormat('yolo');
    expect(flow.name).toBe('my run');
    expect(client.mapping).toHaveBeenCalledTimes(3);
  });

  it('imports with progress, then reports the run', async () => {
    const seen: PredictionRunInfo[] = [];
    let sent: unknown;
    const { get } = fakeClient(async (req, onProgress) => {
      sent = req;
      onProgress({ stage: 'reading', done: 1, total: 2 });
      onProgress({ stage: 'saving', done: 7, total: 14, predictions: 14 });
      return outcome;
    });
    const flow = new ImportFlow(get, (i) => seen.push(i));
    await flow.choose(chosen);
    flow.setName('  trimmed  ');
    await flow.start();
    expect(flow.step).toBe('done');
    expect(flow.outcome).toBe(outcome);
    expect(flow.progress).toEqual({ stage: 'saving', done: 7, total: 14, predictions: 14 });
    expect(seen).toEqual([info]);
    expect(sent).toMatchObject({
      format: 'yolo',
      name: 'trimmed',
      source: chosen.source,
      options: { classMap: undefined },
    });
  });

  it('goes back to the review step when cancelled, and shows errors as they are', async () => {
    const { get } = fakeClient(
      (_req, _p, signal) =>
        new Promise((_resolve, reject) => {
          if (signal!.aborted) reject(signal!.reason);
          signal!.addEventListener('abort', () => reject(signal!.reason));
        }),
    );
    const flow = new ImportFlow(get, () => {});
    await flow.choose(chosen);
    const running = flow.start();
    expect(flow.step).toBe('importing');
    flow.cancel();
    await running;
    expect(flow.step).toBe('review');
    expect(flow.error).toBeUndefined();

    const failing = fakeClient(async () => {
      throw new Error('results.json: not valid JSON: Unexpected end of JSON input');
    });
    const other = new ImportFlow(failing.get, () => {});
    await other.choose(chosen);
    await other.start();
    expect(other.step).toBe('error');
    expect(other.error).toBe('results.json: not valid JSON: Unexpected end of JSON input');
  });

  it('names runs after the format, the files and the local time, with a counter when the name is taken', () => {
    const may1 = new Date(2024, 4, 1, 9, 5);
    expect(defaultRunName('COCO', 'results.json', [], may1)).toBe('COCO · results.json · 2024-05-01 09:05');
    expect(defaultRunName('EA predictions', 'predictions', [], new Date(2024, 11, 31, 23, 59))).toBe(
      'EA predictions · predictions · 2024-12-31 23:59',
    );
    const first = defaultRunName('COCO', 'results.json', [], may1);
    const second = defaultRunName('COCO', 'results.json', [first], may1);
    const third = defaultRunName('COCO', 'results.json', [first, second], may1);
    expect([second, third]).toEqual([`${first} (2)`, `${first} (3)`]);
    expect(defaultRunName('COCO', 'x'.repeat(100), [], may1)).toBe(`COCO · ${'x'.repeat(59)}… · 2024-05-01 09:05`);
  });

  it('proposes a name no run of the project has yet: two imports of the same files get different names', async () => {
    const names: string[] = [];
    const { get } = fakeClient(async (req) => {
      names.push((req as { name: string }).name);
      return outcome;
    });
    const flow = new ImportFlow(
      get,
      () => {},
      () => names,
    );
    await flow.choose(chosen);
    await flow.start();
    await flow.choose(chosen);
    await flow.start();
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    expect(names[0]).toMatch(
      new RegExp(`^YOLO · ${chosen.label.replace(/[()]/g, '\\$&')} · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`),
    );
  });
});
