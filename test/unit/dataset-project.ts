// Small dataset projects (COCO, YOLO, VOC folders as the datasets reader gives them) made in memory: image ids,
// paths, category ids and the COCO ground truth, only the fields the prediction readers use.
import type { CocoDatasetJson, DataUnit, Ontology, Project } from '../../src/core/model.ts';
import { projectFromUnits } from '../../src/core/project/assemble.ts';

export type DatasetImage = CocoDatasetJson['images'][number];

export function datasetProject(
  kind: 'coco' | 'yolo' | 'voc',
  images: DatasetImage[],
  categories: { id: number; name: string }[],
): Project {
  const ontology: Ontology = {
    objects: categories.map((c, i) => ({
      id: String(i),
      name: c.name,
      color: '#336699',
      // A category takes box and segmentation results alike: the shape here must not matter.
      shape: i % 2 === 0 ? 'bounding_box' : 'polygon',
      featureNodeHash: `cat${c.id}`,
      attributes: [],
      categoryId: c.id,
    })),
    classifications: [],
  };
  const units: DataUnit[] = images.map((img) => ({
    dataHash: `img-${img.id}`,
    labelHash: `row-${img.id}`,
    title: img.file_name.slice(img.file_name.lastIndexOf('/') + 1),
    dataType: 'image',
    mime: 'image/jpeg',
    width: img.width,
    height: img.height,
    sequence: 0,
    frames: [{ frame: 0, objects: [], classifications: [] }],
    images: { 0: img.file_name },
    frameNumbers: [0],
    imageId: img.id,
    split: 'val',
  }));
  const coco: CocoDatasetJson = { images, annotations: [], categories };
  return { ...projectFromUnits(ontology, units), kind, dataset: { kind, splits: ['val'], split: 'val', coco } };
}
