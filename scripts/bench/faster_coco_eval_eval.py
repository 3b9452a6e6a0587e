#!/usr/bin/env python3
"""Times faster-coco-eval on one COCO case like pycocotools_eval.py, for `npm run bench -- eval`.

Usage: PYTHONPATH=<dir holding a built faster_coco_eval> /usr/bin/python3 faster_coco_eval_eval.py GT RESULTS bbox|segm
Prints one JSON line: {"stats": [...12], "load_s", "evaluate_s", "accumulate_s"}; its printout is suppressed.
"""
import contextlib
import io
import json
import sys
import time

from faster_coco_eval import COCO, COCOeval_faster


def main():
    gt_path, dt_path, iou_type = sys.argv[1:4]
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(gt_path)
        dt = gt.loadRes(dt_path)
    t1 = time.perf_counter()
    ev = COCOeval_faster(gt, dt, iou_type, print_function=lambda *a, **k: None)
    with contextlib.redirect_stdout(io.StringIO()):
        ev.evaluate()
        t2 = time.perf_counter()
        ev.accumulate()
        t3 = time.perf_counter()
        ev.summarize()
    print(json.dumps({"stats": [float(s) for s in ev.stats[:12]], "load_s": t1 - t0, "evaluate_s": t2 - t1,
                      "accumulate_s": t3 - t2}))


if __name__ == "__main__":
    main()
