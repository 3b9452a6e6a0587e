#!/usr/bin/python3
"""tidecv's own time on one COCO pair, used as its README shows: datasets.COCO(gt), datasets.COCOResult(dt),
TIDE().evaluate(..., mode), get_main_errors(), get_special_errors(). Prints one JSON line of seconds and numbers.
tidecv and pycocotools come from PYTHONPATH (outside the project).
  PYTHONPATH=<tide>:<pycocotools> MPLBACKEND=Agg /usr/bin/python3 scripts/bench/tidecv_time.py GT DT bbox|mask
"""
import json
import sys
import time

from tidecv import TIDE, datasets

gt_path, dt_path, mode = sys.argv[1:]
t0 = time.perf_counter()
gt = datasets.COCO(gt_path)
preds = datasets.COCOResult(dt_path)
t1 = time.perf_counter()
tide = TIDE()
tide.evaluate(gt, preds, mode=TIDE.BOX if mode == 'bbox' else TIDE.MASK, name='run')
t2 = time.perf_counter()
main = tide.get_main_errors()['run']
special = tide.get_special_errors()['run']
t3 = time.perf_counter()
print(json.dumps({'load': t1 - t0, 'evaluate': t2 - t1, 'errors': t3 - t2, 'ap': tide.runs['run'].ap,
                  'main': main, 'special': special}))
