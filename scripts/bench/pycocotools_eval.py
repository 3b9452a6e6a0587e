#!/usr/bin/env python3
"""Times pycocotools on one COCO case the way the fixture README does, for `npm run bench` (scripts/bench/eval.ts).

Usage: PYTHONPATH=<dir holding a built pycocotools> /usr/bin/python3 pycocotools_eval.py GT.json RESULTS.json bbox|segm
Prints one JSON line: {"stats": [...12], "load_s", "evaluate_s", "accumulate_s"}; summarize()'s printout is
suppressed. The caller times the whole process.
"""
import contextlib
import io
import json
import sys
import time

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def main():
    gt_path, dt_path, iou_type = sys.argv[1:4]
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(gt_path)
        dt = gt.loadRes(dt_path)
    t1 = time.perf_counter()
    ev = COCOeval(gt, dt, iou_type)
    with contextlib.redirect_stdout(io.StringIO()):
        ev.evaluate()
        t2 = time.perf_counter()
        ev.accumulate()
        t3 = time.perf_counter()
        ev.summarize()
    print(json.dumps({"stats": [float(s) for s in ev.stats], "load_s": t1 - t0, "evaluate_s": t2 - t1,
                      "accumulate_s": t3 - t2}))


if __name__ == "__main__":
    main()
