// Runs a CLI command in this process and returns what it wrote to stdout (faster than a child process per call).
import { expect } from 'vitest';

export async function stdoutOf(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => (
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')),
    true
  )) as typeof process.stdout.write;
  try {
    expect(await run(argv)).toBe(0);
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}
