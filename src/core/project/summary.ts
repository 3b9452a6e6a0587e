// The numbers the project overview and `predlens info` show: what was read, per class and per shape.
import type { Project, ProjectKind } from '../model.ts';
import { indexOntology } from './ontology.ts';

export interface ClassCount {
  featureHash: string;
  name: string;
  color: string;
  shape: string;
  count: number;
  /** Datasets: the class's COCO category id. */
  categoryId?: number;
}

export interface OptionCount {
  /** The ontology classification's featureNodeHash. */
  classificationHash: string;
  attributeHash: string;
  attributeName: string;
  optionHash: string;
  label: string;
  value: string;
  count: number;
}

export interface ProjectSummary {
  /** The folder's layout. */
  kind: ProjectKind;
  /** Datasets: every split the folder names, and the one read (undefined: all of them). */
  splits: string[];
  split?: string;
  title: string;
  projectHash: string;
  source: string;
  labelRows: number;
  dataUnits: number;
  dataUnitsByType: { image: number; img_group: number; video: number };
  /** Images (image and image-group units) plus video frames. */
  frames: number;
  images: number;
  videoFrames: number;
  /** Frames with at least one object or classification. */
  labelledFrames: number;
  objects: number;
  classifications: number;
  /** Every ontology object in ontology order, zeros included. */
  objectsByClass: ClassCount[];
  /** Every option of every classification attribute, zeros included, then answered options the ontology lacks. */
  classificationsByOption: OptionCount[];
  /** Text answers, which have no option to count under. */
  textAnswers: number;
  objectsByShape: Record<string, number>;
  skipped: Record<string, number>;
  problems: number;
  /** Datasets: the annotations' own area fields summed per class (featureHash), the COCO notion of labelled area. */
  areaByClass?: Record<string, number>;
  /** Datasets: labels that are VOC difficult objects, and COCO crowd regions. */
  flaggedObjects?: { difficult: number; crowd: number };
}

export function summariseProject(project: Project): ProjectSummary {
  const ontology = indexOntology(project.ontology);
  const objectsByClass = new Map<string, ClassCount>();
  for (const o of project.ontology.objects) {
    objectsByClass.set(o.featureNodeHash, {
      featureHash: o.featureNodeHash,
      name: o.name,
      color: o.color,
      shape: o.shape,
      count: 0,
      ...(o.categoryId !== undefined ? { categoryId: o.categoryId } : {}),
    });
  }
  const options = new Map<string, OptionCount>();
  const optionKey = (classificationHash: string, attributeHash: string, optionHash: string) =>
    `${classificationHash}/${attributeHash}/${optionHash}`;
  for (const c of project.ontology.classifications) {
    for (const a of c.attributes) {
      if (a.type !== 'radio' && a.type !== 'checklist') continue;
      for (const o of a.options) {
        options.set(optionKey(c.featureNodeHash, a.featureNodeHash, o.featureNodeHash), {
          classificationHash: c.featureNodeHash,
          attributeHash: a.featureNodeHash,
          attributeName: a.name,
          optionHash: o.featureNodeHash,
          label: o.label,
          value: o.value,
          count: 0,
        });
      }
    }
  }
  const byType = { image: 0, img_group: 0, video: 0 };
  const areaByClass: Record<string, number> | undefined = project.dataset ? {} : undefined;
  const flagged = { difficult: 0, crowd: 0 };
  const objectsByShape: Record<string, number> = {};
  let images = 0;
  let videoFrames = 0;
  let labelledFrames = 0;
  let objects = 0;
  let classifications = 0;
  let textAnswers = 0;
  for (const unit of project.dataUnits) {
    byType[unit.dataType]++;
    if (unit.dataType === 'video') videoFrames += unit.frameNumbers.length;
    else images++;
    for (const frame of unit.frames) {
      if (frame.objects.length > 0 || frame.classifications.length > 0) labelledFrames++;
      for (const o of frame.objects) {
        objects++;
        objectsByShape[o.shape] = (objectsByShape[o.shape] ?? 0) + 1;
        if (areaByClass && o.dataset) {
          areaByClass[o.featureHash] = (areaByClass[o.featureHash] ?? 0) + o.dataset.area;
          if (o.dataset.difficult) flagged.difficult++;
          if (o.dataset.iscrowd) flagged.crowd++;
        }
        const counted = objectsByClass.get(o.featureHash);
        if (counted) counted.count++;
        else
          objectsByClass.set(o.featureHash, {
            featureHash: o.featureHash,
            name: o.name,
            color: o.color,
            shape: o.shape,
            count: 1,
          });
      }
      for (const c of frame.classifications) {
        classifications++;
        for (const answer of c.answers) {
          if (answer.text !== undefined) textAnswers++;
          for (const o of answer.options) {
            const key = optionKey(c.featureHash, answer.attributeHash, o.featureHash);
            let counted = options.get(key);
            if (!counted) {
              const known = ontology.options.get(o.featureHash);
              counted = {
                classificationHash: c.featureHash,
                attributeHash: answer.attributeHash,
                attributeName: answer.attributeName,
                optionHash: o.featureHash,
                label: known?.label ?? o.name,
                value: known?.value ?? o.value,
                count: 0,
              };
              options.set(key, counted);
            }
            counted.count++;
          }
        }
      }
    }
  }
  return {
    kind: project.kind ?? 'encord-active',
    splits: project.dataset?.splits ?? [],
    ...(project.dataset?.split !== undefined ? { split: project.dataset.split } : {}),
    title: project.meta.project_title,
    projectHash: project.meta.project_hash,
    source: project.source,
    labelRows: project.labelRows.length,
    dataUnits: project.dataUnits.length,
    dataUnitsByType: byType,
    frames: images + videoFrames,
    images,
    videoFrames,
    labelledFrames,
    objects,
    classifications,
    objectsByClass: [...objectsByClass.values()],
    classificationsByOption: [...options.values()],
    textAnswers,
    objectsByShape,
    skipped: { ...project.skipped },
    problems: project.problems.length,
    ...(areaByClass ? { areaByClass, flaggedObjects: flagged } : {}),
  };
}
