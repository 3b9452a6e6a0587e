// Malformed coco-eval inputs (ground truth, results, params), one defect each: a case list of the malformed corpus
// (in process, through cocoEvaluate), also run through the CLI with the exact message each must give by
// test/unit/coco-eval-input-errors.test.ts.
import { cocoEvaluate, type CocoParamsInput } from '../../../src/core/eval/coco/index.ts';
import type { CaseList } from './types.ts';

const image = { id: 1, width: 100, height: 100 };
const category = { id: 1, name: 'a' };
const ann = { id: 1, image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], area: 400, iscrowd: 0 };
export const det = { image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 };
const gtOf = (over: object) => ({ images: [image], categories: [category], annotations: [ann], ...over });

export interface CocoInputCase {
  name: string;
  gt: unknown;
  dt?: unknown;
  params?: unknown;
  /** What the message must say (the file is checked for every case). */
  says: RegExp;
  file: 'gt' | 'dt' | 'params';
}

/** One defect each, with what pycocotools 2.0.11 does where it differs (comments). */
export const cocoInputCases: CocoInputCase[] = [
  // pycocotools: KeyError: 'categories' (loadRes copies the list)
  {
    name: 'no categories',
    gt: { images: [image], annotations: [ann] },
    says: /no "categories" list.*KeyError/,
    file: 'gt',
  },
  // pycocotools: every stat -1, silently
  { name: 'empty categories', gt: gtOf({ categories: [] }), says: /"categories" is empty/, file: 'gt' },
  // pycocotools: KeyError: 'images'
  {
    name: 'no images',
    gt: { categories: [category], annotations: [ann] },
    says: /no "images" list.*KeyError/,
    file: 'gt',
  },
  // pycocotools: the last image's size wins, silently
  {
    name: 'repeated image id',
    gt: gtOf({ images: [image, image] }),
    says: /images\[1\] repeats id 1 of images\[0\]/,
    file: 'gt',
  },
  // pycocotools: the last category's name wins, silently
  {
    name: 'repeated category id',
    gt: gtOf({ categories: [category, category] }),
    says: /categories\[1\] repeats id 1/,
    file: 'gt',
  },
  // pycocotools: Exception: list input can be bounding box (Nx4) or RLEs ([RLE])
  {
    name: 'GT bbox of 3 numbers',
    gt: gtOf({ annotations: [{ ...ann, bbox: [1, 2, 3] }] }),
    says: /annotations\[0\] \(id 1\) has no \[x, y, w, h\] "bbox".*\[1,2,3\]/,
    file: 'gt',
  },
  {
    name: 'GT bbox of 5 numbers',
    gt: gtOf({ annotations: [{ ...ann, bbox: [1, 2, 3, 4, 5] }] }),
    says: /annotations\[0\] \(id 1\) has no \[x, y, w, h\]/,
    file: 'gt',
  },
  // pycocotools: TypeError: object of type 'NoneType' has no len()
  {
    name: 'GT bbox null',
    gt: gtOf({ annotations: [{ ...ann, bbox: null }] }),
    says: /annotations\[0\] \(id 1\) has no \[x, y, w, h\].*null/,
    file: 'gt',
  },
  // pycocotools: KeyError: 'iscrowd'
  {
    name: 'GT without iscrowd',
    gt: gtOf({ annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 2, 3, 4], area: 12 }] }),
    says: /annotations\[0\] \(id 1\) has no "iscrowd"/,
    file: 'gt',
  },
  {
    name: 'GT area a string',
    gt: gtOf({ annotations: [{ ...ann, area: '400' }] }),
    says: /annotations\[0\] \(id 1\) has no numeric "area"/,
    file: 'gt',
  },
  {
    name: 'GT annotation id a list',
    gt: gtOf({ annotations: [{ ...ann, id: [1] }] }),
    says: /annotations\[0\] has id \[1\]/,
    file: 'gt',
  },
  // pycocotools: IndexError: list index out of range
  {
    name: 'result bbox of 3 numbers',
    gt: gtOf({}),
    dt: [{ ...det, bbox: [1, 2, 3] }],
    says: /result 0 \(image_id 1\) has no \[x, y, w, h\] "bbox"/,
    file: 'dt',
  },
  // pycocotools: Exception: list input can be bounding box (Nx4) or RLEs ([RLE])
  {
    name: 'result bbox of 5 numbers',
    gt: gtOf({}),
    dt: [{ ...det, bbox: [1, 2, 3, 4, 5] }],
    says: /result 0 \(image_id 1\) has a "bbox" of 5 numbers.*Nx4/,
    file: 'dt',
  },
  // pycocotools: TypeError: can only concatenate str (not "int") to str
  {
    name: 'result bbox with a string',
    gt: gtOf({}),
    dt: [{ ...det, bbox: ['1', 2, 3, 4] }],
    says: /result 0 \(image_id 1\) has no \[x, y, w, h\] "bbox"/,
    file: 'dt',
  },
  // pycocotools: AssertionError: Results do not correspond to current coco set
  {
    name: 'result on an unknown image',
    gt: gtOf({}),
    dt: [{ ...det, image_id: 9 }],
    says: /result 0 has image_id 9.*Results do not correspond/,
    file: 'dt',
  },
  {
    name: 'result without score',
    gt: gtOf({}),
    dt: [{ image_id: 1, category_id: 1, bbox: [1, 2, 3, 4] }],
    says: /result 0 \(image_id 1\) has no numeric "score"/,
    file: 'dt',
  },
  {
    name: 'results not a list',
    gt: gtOf({}),
    dt: { detections: [] },
    says: /COCO results are a JSON list of detections/,
    file: 'dt',
  },
  // pycocotools: TypeError: '<' not supported between instances of 'float' and 'str'
  {
    name: 'params iouThrs a string',
    gt: gtOf({}),
    params: { iouThrs: 'x' },
    says: /"iouThrs" must be a list of numbers, got "x"/,
    file: 'params',
  },
  // pycocotools: TypeError: '>' not supported between instances of 'int' and 'str'
  {
    name: 'params maxDets a string',
    gt: gtOf({}),
    params: { maxDets: '100' },
    says: /"maxDets" must be a list of non-negative integers/,
    file: 'params',
  },
  // pycocotools: TypeError: slice indices must be integers
  {
    name: 'params maxDets a fraction',
    gt: gtOf({}),
    params: { maxDets: [1, 10, 100.5] },
    says: /"maxDets"\[2\] is 100.5/,
    file: 'params',
  },
  // pycocotools: every stat -1, silently (np.unique of a number)
  {
    name: 'params imgIds a number',
    gt: gtOf({}),
    params: { imgIds: 5 },
    says: /"imgIds" must be a list of ids/,
    file: 'params',
  },
  // pycocotools: IndexError: list index out of range
  {
    name: 'params areaRng not pairs',
    gt: gtOf({}),
    params: { areaRng: [[0]] },
    says: /"areaRng"\[0\] is \[0\], not \[min, max\] pair/,
    file: 'params',
  },
  // pycocotools: precision 0, silently
  {
    name: 'params recThrs strings',
    gt: gtOf({}),
    params: { recThrs: ['a'] },
    says: /"recThrs"\[0\] is "a", not number/,
    file: 'params',
  },
  // pycocotools: every stat -1, silently ('no' is truthy, so categories are pooled... and then not)
  {
    name: 'params useCats a string',
    gt: gtOf({}),
    params: { useCats: 'no' },
    says: /"useCats" must be true, false, 0 or 1, got "no"/,
    file: 'params',
  },
  {
    name: 'params unknown field',
    gt: gtOf({}),
    params: { maxDet: [1] },
    says: /unknown params field "maxDet"/,
    file: 'params',
  },
  {
    name: 'params not an object',
    gt: gtOf({}),
    params: [1, 10, 100],
    says: /params are a JSON object/,
    file: 'params',
  },
];

export function cocoInputCaseLists(): CaseList[] {
  const files = { gt: 'coco/gt.json', dt: 'coco/results.json', params: 'coco/params.json' };
  return [
    {
      name: 'coco-eval inputs',
      cases: cocoInputCases.map((c) => ({
        id: `coco-eval: ${c.name}`,
        files: [files[c.file]],
        expect: { kind: 'fatal' as const },
        async run() {
          cocoEvaluate(undefined, c.gt, c.dt ?? [det], {
            iouType: 'bbox',
            params: c.params as CocoParamsInput | undefined,
            gtSource: files.gt,
            resultsSource: files.dt,
            paramsSource: files.params,
          });
          return { accepted: 1, rejected: [] };
        },
      })),
    },
  ];
}
