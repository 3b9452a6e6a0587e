// predlens CLI: dispatches to one module per command. Output shapes of the commands are a public contract.
import { UsageError } from './args.ts';
import type { Command } from './command.ts';

const commands: Record<string, () => Promise<{ command: Command }>> = {
  ontology: () => import('./commands/ontology.ts'),
  info: () => import('./commands/info.ts'),
  import: () => import('./commands/import.ts'),
  'coco-eval': () => import('./commands/coco-eval.ts'),
  contours: () => import('./commands/contours.ts'),
  metrics: () => import('./commands/metrics.ts'),
  eval: () => import('./commands/eval.ts'),
  predict: () => import('./commands/predict.ts'),
  compare: () => import('./commands/compare.ts'),
  export: () => import('./commands/export.ts'),
  report: () => import('./commands/report.ts'),
};

function help(): string {
  return [
    'predlens: model quality for Encord Active projects',
    '',
    'Usage: predlens <command> [options]',
    '',
    'Commands:',
    ...Object.keys(commands).map((c) => `  ${c}`),
    '',
    'Run "predlens <command> --help" for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(help());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`predlens: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`predlens ${name}: ${err.message}\nUsage: ${command.usage}`);
      return 2;
    }
    console.error(`predlens ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
