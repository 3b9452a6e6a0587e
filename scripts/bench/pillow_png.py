#!/usr/bin/env python3
"""The Pillow side of `npm run bench -- png`: makes the class masks (make OUT_DIR) or times decoding them
(time RUNS FILE...), printing one JSON line per file: {"file", "ms" (median CPU time: a shared machine moves wall
time too much), "sha1" of the values as stored
(uint8, or uint16 little-endian), "mode"}. Decoding is what Encord Active does: np.array(Image.open(path))."""
import hashlib
import json
import sys
import time

import numpy as np
from PIL import Image


def make(out):
    rng = np.random.default_rng(20261203)
    h, w = 1080, 1920
    yy, xx = np.mgrid[0:h, 0:w]
    labels = np.zeros((h, w), np.uint16)
    for k in range(1, 41):
        cy, cx, r = rng.integers(0, h), rng.integers(0, w), rng.integers(20, 160)
        labels[(yy - cy) ** 2 + ((xx - cx) * 0.8) ** 2 < r * r] = k
    road = (yy > 700) & (yy < 900)
    labels[road] = 41
    grey = labels.astype(np.uint8)
    Image.fromarray(grey, "L").save(f"{out}/grey8_1920x1080.png")
    pal = Image.fromarray(grey, "P")
    pal.putpalette([(i * 37) % 256 for i in range(768)])
    pal.save(f"{out}/palette8_1920x1080.png")
    Image.fromarray((labels.astype(np.uint16) * 1000), "I;16").save(f"{out}/grey16_1920x1080.png")
    speckle = grey.copy()
    idx = rng.integers(0, h * w, size=h * w // 500)
    speckle.reshape(-1)[idx] = rng.integers(1, 41, size=idx.size)
    Image.fromarray(speckle, "L").save(f"{out}/grey8_speckle_1920x1080.png")


def time_files(runs, files):
    for f in files:
        times = []
        for _ in range(runs + 1):
            t = time.process_time()
            a = np.array(Image.open(f))
            times.append((time.process_time() - t) * 1000)
        times = sorted(times[1:])
        # 16-bit files open as mode I (int32) in this Pillow: compare their values as uint16, as predlens keeps them.
        data = a.astype(np.uint8).tobytes() if a.dtype == np.uint8 else a.astype("<u2").tobytes()
        print(json.dumps({"file": f, "ms": times[len(times) // 2], "sha1": hashlib.sha1(data).hexdigest(),
                          "mode": Image.open(f).mode}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        time_files(int(sys.argv[2]), sys.argv[3:])
