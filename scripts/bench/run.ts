// npm run bench [-- <part> ...]: runs the named benchmark parts in order, or every part when none is named.
// A part is a module exporting `run(): Promise<void>` that prints its own lines; add one line per part below.
const parts: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  kernels: () => import('./kernels.ts'),
  slider: () => import('./slider.ts'),
  eval: () => import('./eval.ts'),
  'eval-page': () => import('./eval-page.ts'),
  import: () => import('./import.ts'),
  png: () => import('./png.ts'),
  tide: () => import('./tide.ts'),
  inference: () => import('./inference.ts'),
  compare: () => import('./compare.ts'),
  report: () => import('./report.ts'),
  datasets: () => import('./datasets.ts'),
};

export {};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in parts));
if (unknown.length > 0) {
  console.error(`bench: unknown part(s) ${unknown.join(', ')}; parts: ${Object.keys(parts).join(', ')}`);
  process.exit(2);
}
for (const name of asked.length > 0 ? asked : Object.keys(parts)) {
  console.log(`\n== bench: ${name} ==`);
  const part = await parts[name]();
  await part.run();
}
