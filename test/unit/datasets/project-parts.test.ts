// A project handed over in parts (a worker to the page) comes back whole: the same label rows, data units, lookup
// by data hash and COCO ground truth in the same order, for an Encord Active project and for datasets, whatever
// the part size.
import { describe, expect, it } from 'vitest';
import { NodeTree } from '../../../src/files/node-fs.ts';
import { readProject } from '../../../src/core/project/read.ts';
import { ProjectAssembly, splitProject } from '../../../src/core/project/parts.ts';
import type { Project } from '../../../src/core/model.ts';
import { fixture } from '../../fixtures.ts';
import { openFixture } from './helpers.ts';

function roundTrip(project: Project, budget: number) {
  const parts = splitProject(project, budget);
  // Each part crosses threads as a structured clone.
  const assembly = new ProjectAssembly(structuredClone(parts.head));
  for (let i = 0; i < parts.count; i++) assembly.add(structuredClone(parts.part(i)));
  return { count: parts.count, project: assembly.project() };
}

describe('project parts', () => {
  it.each([1, 50, 1e9])('an EA project, budget %d', async (budget) => {
    const project = await readProject(new NodeTree(fixture('ea-mini')));
    const back = roundTrip(project, budget);
    expect(back.project).toEqual(structuredClone(project));
  });

  it.each([1, 200, 1e9])('a COCO dataset (split val2017), budget %d', async (budget) => {
    const project = await openFixture('coco-official', 'val2017');
    const back = roundTrip(project, budget);
    expect(back.project).toEqual(structuredClone(project));
    if (budget === 1) expect(back.count).toBe(project.labelRows.length + project.dataset!.coco.annotations.length);
  });

  it('a VOC dataset keeps its difficult flags and split info', async () => {
    const project = await openFixture('voc', 'val');
    expect(roundTrip(project, 100).project).toEqual(structuredClone(project));
  });
});

describe('handing over with release', () => {
  it('gives the same project while the source lets go of what each part took', async () => {
    const project = await openFixture('coco-official', 'val2017');
    const expected = structuredClone(project);
    const parts = splitProject(project, 300, true);
    const assembly = new ProjectAssembly(structuredClone(parts.head));
    for (let i = 0; i < parts.count; i++) assembly.add(structuredClone(parts.part(i)));
    expect(assembly.project()).toEqual(expected);
    expect(project.labelRows.every((r) => r === undefined)).toBe(true);
    expect(project.dataset!.coco.annotations.every((a) => a === undefined)).toBe(true);
  });
});
