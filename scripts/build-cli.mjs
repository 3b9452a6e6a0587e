// Bundles the CLI (src/cli/main.ts and what it imports) into build/cli/ with esbuild (tsx's own dependency), so
// `predlens` starts without compiling TypeScript on the fly. Each command is its own chunk, loaded only when it runs
// (main.js itself is a few kilobytes), and the COCO evaluation's worker_thread entry sits beside them.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('build/cli', { recursive: true, force: true });
rmSync('build/cli.mjs', { force: true });
await build({
  entryPoints: { main: 'src/cli/main.ts', 'coco-worker': 'src/cli/coco-worker.ts' },
  outdir: 'build/cli',
  outExtension: { '.js': '.js' },
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
