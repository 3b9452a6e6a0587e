// The file formats the exports write, read back by other tools: CSV by Python's csv module (RFC 4180 quoting,
// full-precision numbers), the store-only zip by Info-ZIP's unzip and Python's zipfile, and the run written as COCO
// results, a YOLO folder and native NDJSON read back by predlens' own import to the same evaluation.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command as exportCommand } from '../../src/cli/commands/export.ts';
import { command as evalCommand } from '../../src/cli/commands/eval.ts';
import { command as cocoEvalCommand } from '../../src/cli/commands/coco-eval.ts';
import { buildTable, toCsv, unzipStore, zipStore, type TableSpec } from '../../src/core/export/index.ts';
import { fixture } from '../fixtures.ts';
import { stdoutOf } from './cli-stdout.ts';

const EA_MINI = fixture('ea-mini');
const PKL = fixture('ea-mini', 'predictions.pkl');
const dir = await mkdtemp(join(tmpdir(), 'predlens-export-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const python = (code: string, input?: string | Uint8Array) =>
  execFileSync('/usr/bin/python3', ['-c', code], { input }).toString();

describe('CSV', () => {
  it('quotes as RFC 4180 says and keeps every digit: Python’s csv module reads back the same cells', () => {
    const spec: TableSpec<[string, number]> = {
      id: 't',
      title: 't',
      doc: '',
      columns: [
        { name: 'text', doc: '', value: (r) => r[0] },
        { name: 'number', doc: '', value: (r) => r[1] },
      ],
    };
    const rows: [string, number][] = [
      ['plain', 0.1 + 0.2],
      ['comma, inside', 1 / 3],
      ['"quoted" and ""doubled""', 1e-300],
      ['line\nbreak and\r\nCRLF', -0],
      ['No overlapping label of class `Car`.', 0.9354838728904724],
      ['ünïcödé', NaN],
    ];
    const csv = toCsv(buildTable(spec, rows));
    expect(csv.endsWith('\r\n')).toBe(true);
    const read = JSON.parse(
      python(
        'import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))',
        csv,
      ),
    ) as string[][];
    expect(read[0]).toEqual(['text', 'number']);
    rows.forEach(([text, number], i) => {
      expect(read[i + 1][0]).toBe(text);
      expect(read[i + 1][1]).toBe(Number.isNaN(number) ? '' : String(number));
      if (!Number.isNaN(number)) expect(Number(read[i + 1][1]) === number).toBe(true);
    });
  });
});

describe('store-only zip', () => {
  const entries = [
    { path: 'classes.txt', data: 'Car\nCat\n' },
    { path: 'labels/a b/ünï.txt', data: '0 0.5 0.5 0.1 0.1 0.9\n' },
    { path: 'empty.txt', data: '' },
    { path: 'bytes.bin', data: Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) & 255) },
  ];

  it('passes unzip -t and Python’s zipfile reads every file back', async () => {
    const zip = zipStore(entries);
    const file = join(dir, 'test.zip');
    await writeFile(file, zip);
    expect(execFileSync('unzip', ['-t', file]).toString()).toMatch(/No errors detected/);
    const read = JSON.parse(
      python(
        `import zipfile, json, hashlib; z = zipfile.ZipFile(${JSON.stringify(file)}); assert z.testzip() is None; print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))`,
      ),
    );
    const { createHash } = await import('node:crypto');
    const sha = (d: string | Uint8Array) => createHash('sha256').update(d).digest('hex');
    expect(read).toEqual(Object.fromEntries(entries.map((e) => [e.path, sha(e.data)])));
  });

  it('reads back its own files and gives the same bytes for the same files', () => {
    const zip = zipStore(entries);
    expect(zipStore(entries)).toEqual(zip);
    const back = unzipStore(zip);
    expect(back.map((e) => e.path)).toEqual(entries.map((e) => e.path));
    expect(new TextDecoder().decode(back[0].data as Uint8Array)).toBe('Car\nCat\n');
  });
});

const run = (argv: string[]) => stdoutOf((a) => exportCommand.run(a), argv);
const evalJson = async (...args: string[]) =>
  JSON.parse(await stdoutOf((a) => evalCommand.run(a), [EA_MINI, ...args, '--json']));

describe('a run written out reads back to the same evaluation', () => {
  it('native NDJSON: the same predictions, the same numbers', async () => {
    const file = join(dir, 'run.ndjson');
    await run([EA_MINI, PKL, '--format', 'pkl', '--predictions', 'native', '-o', file]);
    const again = await evalJson(file, '--format', 'json');
    const first = await evalJson(PKL, '--format', 'pkl');
    expect(again.mAP).toBe(first.mAP);
    expect(again.classes).toEqual(first.classes);
  });

  it('COCO: the subset of every image plus the results give pycocotools’ numbers of eval --mode coco, and re-import', async () => {
    const gt = join(dir, 'coco', 'subset.json');
    await run([EA_MINI, PKL, '--format', 'pkl', '--subset', 'all', '--as', 'coco', '--with-predictions', '-o', gt]);
    const results = join(dir, 'coco', 'subset.predictions.json');
    const stats = JSON.parse(
      await stdoutOf((a) => cocoEvalCommand.run(a), [gt, results, '--iou-type', 'bbox', '--json']),
    ).stats;
    expect(stats).toEqual((await evalJson(PKL, '--format', 'pkl', '--mode', 'coco')).stats);
    // The results beside the dataset file name their images by file_name: predlens imports them back.
    const again = await evalJson(join(dir, 'coco'), '--format', 'coco');
    expect(again.mAP).toBe((await evalJson(PKL, '--format', 'pkl')).mAP);
    const dataset = JSON.parse(await readFile(gt, 'utf8'));
    expect(dataset.images.map((i: { id: number }) => i.id)).toEqual([1, 2]);
    expect(dataset.annotations).toHaveLength(4);
  });

  it('YOLO folder and .zip: labels/<data hash>.txt and classes.txt, read back by --format yolo', async () => {
    const folder = join(dir, 'yolo');
    await run([EA_MINI, PKL, '--format', 'pkl', '--predictions', 'yolo', '-o', folder]);
    const again = await evalJson(folder, '--format', 'yolo');
    const first = await evalJson(PKL, '--format', 'pkl');
    expect(again.tp).toBe(first.tp);
    expect(again.fp).toBe(first.fp);
    expect(again.mAP).toBe(first.mAP);
    const zip = join(dir, 'yolo.zip');
    await run([EA_MINI, PKL, '--format', 'pkl', '--predictions', 'yolo', '-o', zip]);
    const files = unzipStore(await readFile(zip)).map((e) => e.path);
    expect(files).toContain('classes.txt');
    expect(files.filter((f) => f.startsWith('labels/'))).toEqual(['labels/668c6d1a-0217-4097-b930-8dfc03db62b4.txt']);
  });
});

describe('subsets', () => {
  it('worst images as a YOLO list and as plain paths: in project order, the worst (lowest F1) with --limit 1', async () => {
    const yolo = await run([EA_MINI, PKL, '--format', 'pkl', '--subset', 'worst', '--as', 'yolo-list']);
    const paths = await run([EA_MINI, PKL, '--format', 'pkl', '--subset', 'worst', '--as', 'paths', '--limit', '1']);
    const matches = JSON.parse(await run([EA_MINI, PKL, '--format', 'pkl', '--table', 'images', '--json']));
    const withErrors = matches.filter((r: { fp: number; fn: number }) => r.fp + r.fn > 0);
    expect(yolo.trim().split('\n')).toEqual(withErrors.map((r: { file: string }) => `./${r.file}`));
    // Worst first as the Images page orders them: the lowest F1 (then the most errors).
    const worst = [...withErrors].sort((a, b) => a.f1 - b.f1 || b.fp + b.fn - (a.fp + a.fn))[0];
    expect(paths).toBe(`${worst.file}\n`);
  });
});
