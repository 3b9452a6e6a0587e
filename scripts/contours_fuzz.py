#!/usr/bin/python3
"""Random masks + OpenCV contours for scripts/contours-fuzz.ts (run with /usr/bin/python3: cv2 4.6, numpy).

Usage: contours_fuzz.py <seed> <count> <min side> <max side> <out.json>
Writes [{w, h, v (row-major values), cl: {value: {e: RETR_EXTERNAL, c: RETR_CCOMP outer contours with holes h}}}].
Each contour: {p: points, a: contourArea}.
"""
import json, sys, cv2, numpy as np
rng = np.random.RandomState(int(sys.argv[1]))
out = []
for k in range(int(sys.argv[2])):
    h, w = rng.randint(int(sys.argv[3]), int(sys.argv[4]) + 1), rng.randint(int(sys.argv[3]), int(sys.argv[4]) + 1)
    kind = k % 4
    if kind == 0:
        m = rng.choice(4, size=(h, w), p=[0.5, 0.2, 0.2, 0.1])
    elif kind == 1:
        m = (rng.rand(h, w) < rng.rand()).astype(np.uint8)
    elif kind == 2:
        m = np.zeros((h, w), np.uint8)
        for _ in range(rng.randint(1, 8)):
            cv2.circle(m, (int(rng.randint(-5, w + 5)), int(rng.randint(-5, h + 5))), int(rng.randint(1, 15)),
                       int(rng.randint(1, 4)), int(rng.choice([-1, 1, 2])))
        sp = rng.rand(h, w) < 0.05
        m[sp] = rng.randint(0, 4, size=int(sp.sum()))
    else:
        m = rng.choice(3, size=(h, w), p=[0.3, 0.6, 0.1])
    m = m.astype(np.uint8)
    cl = {}
    for v in np.unique(m):
        if v == 0: continue
        b = (m == v).astype(np.uint8)
        e, _ = cv2.findContours(b.copy(), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        c, hi = cv2.findContours(b.copy(), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
        cc = []
        idx = {}
        for i, x in enumerate(c):
            p = int(hi[0][i][3])
            d = {'p': x.reshape(-1, 2).tolist(), 'a': float(cv2.contourArea(x)), 'h': []}
            if p < 0:
                idx[i] = d; cc.append(d)
            else:
                idx[p]['h'].append(d)
        cl[str(int(v))] = {'e': [{'p': x.reshape(-1, 2).tolist(), 'a': float(cv2.contourArea(x))} for x in e], 'c': cc}
    out.append({'w': int(w), 'h': int(h), 'v': m.ravel().tolist(), 'cl': cl})
json.dump(out, open(sys.argv[5], 'w'))
