// What every CLI command module exports as `command`; main.ts loads them lazily by name.
export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}
