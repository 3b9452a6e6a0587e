// predlens ontology <project-dir>: the same mapping `encord-active print ontology` prints (object names and
// radio options to their hashes), for writing class maps by hand.
import { parseArgs, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { openProjectDir, readFolderArg } from '../project-dir.ts';
import { PROJECT_META, readOntology } from '../../core/project/read.ts';
import { formatOntologyPrintout } from '../../core/project/print-ontology.ts';

export const command: Command = {
  name: 'ontology',
  usage: 'predlens ontology <project-or-dataset-dir> [--json]',
  summary:
    'Print the ontology mapping of an Encord Active project: {"objects": {name: featureNodeHash}, "classifications": ' +
    '{option value: {feature_hash, attribute_hash, option_hash}}}, as `encord-active print ontology` does. ' +
    '--json prints only the JSON document (no warnings on stderr).',
  async run(argv) {
    const args = parseArgs(argv, { boolean: ['json'], value: [] });
    const [dir, ...extra] = args.positionals;
    if (!dir || extra.length > 0) throw new UsageError('give exactly one project folder');
    const tree = openProjectDir(dir);
    // A dataset folder's classes are its categories (one object each, named by category id).
    const { ontology, problems } = (await tree.exists(PROJECT_META))
      ? await readOntology(tree)
      : (await readFolderArg(dir)).project;
    process.stdout.write(formatOntologyPrintout(ontology) + '\n');
    if (!args.flags.has('json')) {
      for (const p of problems)
        console.error(`warning: ${p.file}${p.record !== undefined ? ` ${p.record}` : ''}: ${p.reason}`);
    }
    return 0;
  },
};
