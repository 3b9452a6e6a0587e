// Encord Active's pickled predictions: a list of encord_active.lib.db.predictions.Prediction objects, built the way
// pydantic v1 models pickle under Python 3.10 (spec section 2.3): NEWOBJ + BUILD with {'__dict__', '__fields_set__',
// '__private_attribute_values__'}, Format members by value, polygons as numpy float64 [N, 2] arrays.
import { pickle, PyDict, PyGlobal, PyInt, PyObject, PyReduce, PySet, PyTuple, type PyValue } from './pickle-writer.ts';

const MODULE = 'encord_active.lib.db.predictions';
const cls = (name: string) => new PyGlobal(MODULE, name);
const PREDICTION = cls('Prediction');
const OBJECT_DETECTION = cls('ObjectDetection');
const BOUNDING_BOX = cls('BoundingBox');
const FRAME_CLASSIFICATION = cls('FrameClassification');
const FORMAT = cls('Format');
const FORMATS = {
  box: new PyReduce(FORMAT, new PyTuple(['bounding-box'])),
  polygon: new PyReduce(FORMAT, new PyTuple(['polygon'])),
  mask: new PyReduce(FORMAT, new PyTuple(['mask'])),
};

const RECONSTRUCT = new PyGlobal('numpy.core.multiarray', '_reconstruct');
const NDARRAY = new PyGlobal('numpy', 'ndarray');
const DTYPE = new PyGlobal('numpy', 'dtype');
const EMPTY_SHAPE = new PyTuple([new PyInt(0)]);
const B = new Uint8Array([0x62]); // b'b'
const FLOAT64 = new PyReduce(
  DTYPE,
  new PyTuple(['f8', false, true]),
  new PyTuple([new PyInt(3), '<', null, null, null, new PyInt(-1), new PyInt(-1), new PyInt(0)]),
);
const UINT8 = new PyReduce(
  DTYPE,
  new PyTuple(['u1', false, true]),
  new PyTuple([new PyInt(3), '|', null, null, null, new PyInt(-1), new PyInt(-1), new PyInt(0)]),
);

function model(klass: PyGlobal, fields: [string, PyValue][], fieldsSet: string[]): PyObject {
  return new PyObject(
    klass,
    new PyDict([
      ['__dict__', new PyDict(fields)],
      ['__fields_set__', new PySet(fieldsSet)],
      ['__private_attribute_values__', new PyDict([])],
    ]),
  );
}

function ndarray(shape: number[], dtype: PyReduce, raw: Uint8Array): PyReduce {
  return new PyReduce(
    RECONSTRUCT,
    new PyTuple([NDARRAY, EMPTY_SHAPE, B]),
    new PyTuple([new PyInt(1), new PyTuple(shape.map((n) => new PyInt(n))), dtype, false, raw]),
  );
}

/** A C-order float64 [N, 2] array of points. */
function pointsArray(points: readonly [number, number][]): PyReduce {
  const data = new Float64Array(points.flat());
  return ndarray([points.length, 2], FLOAT64, new Uint8Array(data.buffer));
}

export type EaPickleEntry =
  | {
      dataHash: string;
      frame: number | null;
      confidence: number;
      featureHash: string;
      trackId?: string | number;
      box: { x: number; y: number; w: number; h: number };
    }
  | {
      dataHash: string;
      frame: number | null;
      confidence: number;
      featureHash: string;
      trackId?: string | number;
      polygon: [number, number][];
    }
  | {
      dataHash: string;
      frame: number | null;
      confidence: number;
      featureHash: string;
      trackId?: string | number;
      /** A 0/1 mask, row-major. */
      mask: { height: number; width: number; data: Uint8Array };
    }
  | {
      dataHash: string;
      frame: number | null;
      confidence: number;
      classification: { featureHash: string; attributeHash: string; optionHash: string };
    };

function objectDetection(e: Exclude<EaPickleEntry, { classification: unknown }>): PyObject {
  let format: PyReduce;
  let data: PyValue;
  if ('box' in e) {
    format = FORMATS.box;
    const { x, y, w, h } = e.box;
    data = model(
      BOUNDING_BOX,
      [
        ['x', x],
        ['y', y],
        ['h', h],
        ['w', w],
        ['theta', 0],
      ],
      ['x', 'y', 'h', 'w'],
    );
  } else if ('polygon' in e) {
    format = FORMATS.polygon;
    data = pointsArray(e.polygon);
  } else {
    format = FORMATS.mask;
    data = ndarray([e.mask.height, e.mask.width], UINT8, e.mask.data);
  }
  const trackId = e.trackId === undefined ? null : typeof e.trackId === 'number' ? new PyInt(e.trackId) : e.trackId;
  const set = ['format', 'data', 'feature_hash', ...(e.trackId === undefined ? [] : ['track_id'])];
  return model(
    OBJECT_DETECTION,
    [
      ['format', format],
      ['data', data],
      ['feature_hash', e.featureHash],
      ['track_id', trackId],
    ],
    set,
  );
}

/** The pickle bytes of `pickle.dump(predictions, f)` for these entries. */
export function eaPredictionsPickle(entries: readonly EaPickleEntry[]): Uint8Array {
  const list = entries.map((e) => {
    const frame = e.frame === null ? null : new PyInt(e.frame);
    const head: [string, PyValue][] = [
      ['data_hash', e.dataHash],
      ['frame', frame],
      ['confidence', e.confidence],
    ];
    const set = ['data_hash', 'frame', 'confidence'];
    if ('classification' in e) {
      const c = e.classification;
      const value = model(
        FRAME_CLASSIFICATION,
        [
          ['feature_hash', c.featureHash],
          ['attribute_hash', c.attributeHash],
          ['option_hash', c.optionHash],
        ],
        ['feature_hash', 'attribute_hash', 'option_hash'],
      );
      return model(PREDICTION, [...head, ['object', null], ['classification', value]], [...set, 'classification']);
    }
    return model(PREDICTION, [...head, ['object', objectDetection(e)], ['classification', null]], [...set, 'object']);
  });
  return pickle(list);
}
