// UrlTree: a project read over HTTP from a static server, through its manifest.json.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileMissingError } from '../../src/core/file-tree.ts';
import { NodeTree } from '../../src/files/node-fs.ts';
import { UrlTree } from '../../src/files/url-prefix.ts';
import { readProject } from '../../src/core/project/read.ts';
import { summariseProject } from '../../src/core/project/summary.ts';
import { fixture } from '../fixtures.ts';

const root = fixture('ea-mini');
const requests: string[] = [];
let server: Server;
let origin = '';

beforeAll(async () => {
  const files = await new NodeTree(root).list();
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
    requests.push(path);
    if (path === '/projects/ea mini/manifest.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ files }));
      return;
    }
    if (!path.startsWith('/projects/ea mini/') || path.includes('..')) return void res.writeHead(404).end();
    const body = await readFile(join(root, path.slice('/projects/ea mini/'.length))).catch(() => undefined);
    if (body) res.writeHead(200).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('UrlTree', () => {
  it('reads a whole project over HTTP, the same as from disk', async () => {
    requests.length = 0;
    const tree = new UrlTree(`${origin}/projects/ea%20mini`);
    const overHttp = await readProject(tree);
    const fromDisk = await readProject(new NodeTree(root));
    expect(summariseProject(overHttp)).toEqual({ ...summariseProject(fromDisk), source: tree.name });
    expect(overHttp.dataUnits.map((u) => u.frames)).toEqual(fromDisk.dataUnits.map((u) => u.frames));
    expect(overHttp.dataUnits.map((u) => u.images)).toEqual(fromDisk.dataUnits.map((u) => u.images));
    // The manifest is fetched once; images are not fetched just to open a project.
    expect(requests.filter((r) => r.endsWith('manifest.json'))).toHaveLength(1);
    expect(requests.filter((r) => r.endsWith('.png'))).toEqual([]);
  });

  it('gives absolute, encoded URLs and the bytes behind them', async () => {
    const tree = new UrlTree(`${origin}/projects/ea%20mini/`);
    const path = 'data/404fbdc5-adf3-4f62-9070-35a2495bf559/images/668c6d1a-0217-4097-b930-8dfc03db62b4.png';
    expect(await tree.url(path)).toBe(`${origin}/projects/ea%20mini/${path}`);
    const bytes = await tree.readBytes(path);
    expect([...bytes.subarray(1, 4)]).toEqual([80, 78, 71]); // "PNG"
    expect(bytes).toEqual(new Uint8Array(await readFile(join(root, path))));
    expect(tree.href('a b/c#d.png')).toBe(`${origin}/projects/ea%20mini/a%20b/c%23d.png`);
  });

  it('lists, and answers exists for files and folders, from the manifest', async () => {
    const tree = new UrlTree(`${origin}/projects/ea%20mini/`);
    expect(await tree.list('predictions')).toEqual([
      'predictions/class_idx.json',
      'predictions/ground_truths_matched.json',
      'predictions/labels.csv',
      'predictions/predictions.csv',
    ]);
    expect(await tree.exists('ontology.json')).toBe(true);
    expect(await tree.exists('data')).toBe(true);
    expect(await tree.exists('nope.json')).toBe(false);
  });

  it('reports a missing file as FileMissingError and a missing manifest clearly', async () => {
    const tree = new UrlTree(`${origin}/projects/ea%20mini/`);
    await expect(tree.readText('missing.json')).rejects.toBeInstanceOf(FileMissingError);
    const bare = new UrlTree(`${origin}/elsewhere/`);
    await expect(bare.list()).rejects.toThrow(
      /elsewhere\/manifest\.json: HTTP 404\. A project served from a URL needs a manifest\.json/,
    );
  });

  it('resolves a relative prefix against a base, and refuses one without', () => {
    expect(new UrlTree('./demo', { base: 'https://example.org/app/v1/' }).prefix.href).toBe(
      'https://example.org/app/v1/demo/',
    );
    expect(() => new UrlTree('demo/')).toThrow(/relative prefix needs a base URL/);
  });

  it('rejects a manifest of the wrong shape', async () => {
    const fake: typeof fetch = async () => new Response(JSON.stringify({ files: [1, 2] }));
    await expect(new UrlTree('https://example.org/p/', { fetch: fake }).list()).rejects.toThrow(
      /expected \{"files": \[relative paths as strings\]\}/,
    );
  });
});
