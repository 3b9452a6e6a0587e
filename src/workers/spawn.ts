// Every worker of the app starts here. A worker whose script is a same-origin URL gets only the policy of its own
// HTTP response, which a static host does not send, so the Content-Security-Policy in index.html would not reach
// the workers, where all the file reading happens. A worker started from a blob: URL inherits the page's policy:
// each worker is a two-line blob: module that imports the real, bundled worker script (allowed by script-src
// 'self'), so the no-network policy holds in every worker too. Workers see their real script's import.meta.url.
//
//   import url from './import.worker.ts?worker&url';
//   const worker = spawnWorker(url, 'predlens-import');

export function spawnWorker(url: string, name: string): Worker {
  // Against this module, not location: inside a worker that itself started from a blob: module, location is
  // that blob: URL, which cannot be a base (a worker starting a worker: compare's resampler).
  const script = new URL(url, import.meta.url).href;
  // The boot module frees its own URL once it runs (its import is fetched by then).
  const boot = `URL.revokeObjectURL(import.meta.url.split('#')[0]);\nimport ${JSON.stringify(script)};\n`;
  const bootUrl = URL.createObjectURL(new Blob([boot], { type: 'text/javascript' }));
  // The fragment names the worker where only its URL shows (tools, tests); a blob: fetch ignores it.
  const worker = new Worker(`${bootUrl}#${encodeURIComponent(name)}`, { type: 'module', name });
  worker.addEventListener('error', () => URL.revokeObjectURL(bootUrl), { once: true });
  return worker;
}
