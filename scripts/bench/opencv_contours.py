#!/usr/bin/python3
"""OpenCV side of `npm run bench -- kernels`: times cv2.findContours on the masks the bench wrote.

Usage: /usr/bin/python3 scripts/bench/opencv_contours.py <manifest.json> <runs>
manifest: [{"name", "raw" (row-major values), "dtype" ("uint8"|"uint16"), "width", "height", "png"?}, ...]
Prints JSON: per mask the medians in ms of
  find_contours_ms: sum over the non-zero values v of findContours(binary_v, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE),
                    the binary masks (mask == v as uint8) made before timing;
  ea_loop_ms:       Encord Active's loop: for v in np.unique(mask) (v != 0): findContours((mask == v).astype(uint8));
  decode_ms:        np.array(Image.open(png)), when a PNG is given;
and a sha1 digest of [[v, [[x, y, x, y, ...], ...]], ...] (compact JSON) to compare contours with predlens.
"""
import hashlib
import json
import sys
import time

import cv2
import numpy as np
from PIL import Image


def median_ms(runs, fn):
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    mid = len(times) // 2
    return times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2


def find(binary):
    return cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)[0]


def main():
    manifest = json.load(open(sys.argv[1]))
    runs = int(sys.argv[2])
    results = []
    for m in manifest:
        mask = np.fromfile(m['raw'], dtype=np.dtype(m['dtype']).newbyteorder('<')).reshape(m['height'], m['width'])
        values = [int(v) for v in np.unique(mask) if v != 0]
        binaries = [(mask == v).astype(np.uint8) for v in values]

        def all_classes():
            for b in binaries:
                find(b)

        def ea_loop():
            for v in np.unique(mask):
                if v == 0:
                    continue
                find((mask == v).astype(np.uint8))

        doc = [[v, [c.ravel().tolist() for c in find(b)]] for v, b in zip(values, binaries)]
        result = {
            'name': m['name'],
            'find_contours_ms': median_ms(runs, all_classes),
            'ea_loop_ms': median_ms(max(3, runs // 3), ea_loop),
            'digest': hashlib.sha1(json.dumps(doc, separators=(',', ':')).encode()).hexdigest(),
        }
        if m.get('png'):
            result['decode_ms'] = median_ms(min(runs, 11), lambda: np.array(Image.open(m['png'])))
        results.append(result)
    print(json.dumps(results))


main()
