// The Encord Active project layout (project_meta.yaml), the first entry of the layout list: read by the project
// reader (core/project), which also finds a project one folder down. EA projects have no splits.
import { PROJECT_META, readProject } from '../project/read.ts';
import { UnknownSplitError } from './errors.ts';
import type { FolderLayout } from './layout.ts';

export const encordActiveLayout: FolderLayout = {
  kind: 'encord-active',
  label: 'Encord Active project',
  expects: 'an Encord Active project: project_meta.yaml, ontology.json, label_row_meta.json and data/<label_hash>/.',
  detect: (paths) => paths.includes(PROJECT_META),
  async read(tree, _paths, options) {
    if (options.split !== undefined) throw new UnknownSplitError(tree.name, options.split, []);
    return readProject(tree, { onProgress: options.onProgress });
  },
};
