import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  // Relative asset URLs: dist/ works from any static host and sub-path.
  base: './',
  plugins: [svelte()],
  // Module workers: comlink entry points import the .wasm URL and code-split.
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1200 },
  // Worker-only dependencies found late make Vite reload mid-test; list them up front.
  optimizeDeps: {
    include: ['upng-js', 'comlink', 'idb', 'yaml', 'chart.js', 'jpeg-js', 'polygon-clipping', 'onnxruntime-web'],
  },
});
