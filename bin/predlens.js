#!/usr/bin/env node
// The predlens command line: a thin entry over src/cli, run through tsx so the TypeScript core needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
