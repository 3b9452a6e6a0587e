#!/usr/bin/python3
"""Expected contours from OpenCV for predlens' contour tests (run with Debian's /usr/bin/python3: cv2 4.6, numpy).

For each mask and each non-zero value v, records what OpenCV returns for the binary mask (mask == v):
  external: findContours(RETR_EXTERNAL, CHAIN_APPROX_SIMPLE) -> points, contourArea, boundingRect
            (random masks only: the shared references hold it for the shared masks)
  ccomp:    findContours(RETR_CCOMP, CHAIN_APPROX_SIMPLE), top-level contours in OpenCV's order, each with
            "holes": its child contours in OpenCV's order

Masks: the shared fixture masks (read, not copied) and a few seeded random masks written here as PNG (noise,
rings and discs of several classes touching each other, a mask with hundreds of holes, a 16-bit mask).

Usage: /usr/bin/python3 scripts/contours_reference.py [shared-fixtures-dir] [out-dir]
"""
import json
import os
import sys

import cv2
import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'fixtures')
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, 'test', 'fixtures', 'contours')


def describe(c):
    pts = c.reshape(-1, 2)
    return {
        'points': pts.tolist(),
        'area': float(cv2.contourArea(c)),
        'bbox': list(cv2.boundingRect(c)),
    }


def expected(values, with_external=True):
    classes = {}
    for v in np.unique(values):
        if v == 0:
            continue
        binary = (values == v).astype(np.uint8)
        external, _ = cv2.findContours(binary.copy(), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        ccomp, hierarchy = cv2.findContours(binary.copy(), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
        outers = []
        index = {}
        for i, c in enumerate(ccomp):
            parent = int(hierarchy[0][i][3])
            if parent < 0:
                index[i] = describe(c)
                index[i]['holes'] = []
                outers.append(index[i])
            else:
                index[parent]['holes'].append(describe(c))
        classes[str(int(v))] = {'ccomp': outers}
        if with_external:
            classes[str(int(v))]['external'] = [describe(c) for c in external]
    return classes


def random_masks():
    rng = np.random.RandomState(4711)
    masks = {}

    noise = rng.choice(5, size=(48, 64), p=[0.45, 0.2, 0.15, 0.1, 0.1]).astype(np.uint8)
    masks['noise_5class_64x48.png'] = noise

    shapes = np.zeros((120, 160), np.uint8)
    for _ in range(40):
        centre = (int(rng.randint(-10, 170)), int(rng.randint(-10, 130)))
        radius = int(rng.randint(2, 30))
        value = int(rng.randint(1, 6))
        thickness = -1 if rng.rand() < 0.4 else int(rng.randint(1, 6))
        cv2.circle(shapes, centre, radius, value, thickness, lineType=cv2.LINE_8)
    speckle = rng.rand(*shapes.shape) < 0.03
    shapes[speckle] = rng.randint(0, 6, size=int(speckle.sum()))
    masks['rings_discs_160x120.png'] = shapes

    holes = np.ones((150, 200), np.uint8)
    holes[:, :3] = 0
    for _ in range(400):
        x, y = int(rng.randint(2, 198)), int(rng.randint(2, 148))
        holes[y:y + int(rng.randint(1, 4)), x:x + int(rng.randint(1, 4))] = int(rng.choice([0, 0, 2, 1]))
    masks['many_holes_200x150.png'] = holes

    wide = np.zeros((60, 80), np.uint16)
    for value in (1, 300, 65535, 40000):
        for _ in range(6):
            x, y = int(rng.randint(0, 75)), int(rng.randint(0, 55))
            wide[y:y + int(rng.randint(1, 12)), x:x + int(rng.randint(1, 12))] = value
    masks['wide16_80x60.png'] = wide
    return masks


def main():
    os.makedirs(OUT, exist_ok=True)
    index = []
    shared = os.path.join(FIXTURES, 'masks', 'png')
    for name in sorted(os.listdir(shared)):
        values = np.array(Image.open(os.path.join(shared, name)))
        # RETR_EXTERNAL for these is in the shared references already.
        index.append({'mask': 'shared:masks/png/' + name, 'expected': name[:-4] + '.json',
                      'classes': expected(values, with_external=False)})
    for name, values in random_masks().items():
        cv2.imwrite(os.path.join(OUT, name), values)
        index.append({'mask': name, 'expected': name[:-4] + '.json', 'classes': expected(values)})
    for entry in index:
        with open(os.path.join(OUT, entry['expected']), 'w') as f:
            json.dump({'mask': entry['mask'], 'opencv': cv2.__version__, 'classes': entry['classes']}, f,
                      separators=(',', ':'))
    with open(os.path.join(OUT, 'index.json'), 'w') as f:
        json.dump([{'mask': e['mask'], 'expected': e['expected']} for e in index], f, indent=1)


main()
