// A Project from data units already in memory (one label row per unit), for code that builds projects without a
// folder: synthetic benchmarks, tests, a model writing predictions for data it generated.
import type { DataUnit, Ontology, Project, ProjectMeta } from '../model.ts';

export function projectFromUnits(
  ontology: Ontology,
  dataUnits: DataUnit[],
  meta: ProjectMeta = { project_title: 'in memory', project_hash: 'memory' },
  source = 'memory',
): Project {
  return {
    source,
    meta,
    ontology,
    labelRows: dataUnits.map((du) => ({
      labelHash: du.labelHash,
      dataHash: du.dataHash,
      dataTitle: du.title,
      dataType: du.dataType,
      dataUnits: [du],
    })),
    dataUnits,
    byDataHash: new Map(dataUnits.map((du) => [du.dataHash.toLowerCase(), du])),
    problems: [],
    skipped: {},
  };
}
