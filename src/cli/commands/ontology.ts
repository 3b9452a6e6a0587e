// predlens ontology <project-dir>: the same mapping `encord-active print ontology` prints (object names and
// radio options to their hashes), for writing class maps by hand.
import { parseArgs, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { openProjectDir } from '../project-dir.ts';
import { readOntology } from '../../core/project/read.ts';
import { detectFolder } from '../../core/datasets/index.ts';
import { formatOntologyPrintout } from '../../core/project/print-ontology.ts';

export const command: Command = {
  name: 'ontology',
  usage: 'predlens ontology <project-dir> [--json]',
  summary:
    'Print the ontology mapping of an Encord Active project: {"objects": {name: featureNodeHash}, "classifications": ' +
    '{option value: {feature_hash, attribute_hash, option_hash}}}, as `encord-active print ontology` does. ' +
    '--json prints only the JSON document (no warnings on stderr).',
  async run(argv) {
    const args = parseArgs(argv, { boolean: ['json'], value: [] });
    const [dir, ...extra] = args.positionals;
    if (!dir || extra.length > 0) throw new UsageError('give exactly one project folder');
    const tree = openProjectDir(dir);
    // A dataset folder's classes are its categories (one object each, featureNodeHash category-<id>).
    const detected = await detectFolder(tree);
    const { ontology, problems } =
      detected && detected.layout.kind !== 'encord-active'
        ? await detected.layout.read(detected.tree, detected.paths, {})
        : await readOntology(tree);
    process.stdout.write(formatOntologyPrintout(ontology) + '\n');
    if (!args.flags.has('json')) {
      for (const p of problems)
        console.error(`warning: ${p.file}${p.record !== undefined ? ` ${p.record}` : ''}: ${p.reason}`);
    }
    return 0;
  },
};
