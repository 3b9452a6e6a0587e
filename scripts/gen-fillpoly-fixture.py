#!/usr/bin/python3
"""Writes test/fixtures/fillpoly.json: random polygons rasterised by OpenCV's cv2.fillPoly (LINE_8, shift 0).

Run with Debian's Python, which sees python3-opencv:  /usr/bin/python3 scripts/gen-fillpoly-fixture.py
Each case holds the image size, the integer contours passed together to one fillPoly call, the pixel count and the
mask as row-major runs (first run = background, the Encord Active layout). Seeded, so the output is reproducible.
"""
import json
import pathlib
import random
import sys

import cv2
import numpy as np

SEED = 20240611
OUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "fillpoly.json"


def row_major_runs(mask):
    flat = (mask.ravel(order="C") != 0).astype(np.int8)
    changes = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate(([0], changes, [flat.size]))
    runs = np.diff(bounds).tolist()
    if flat.size and flat[0] == 1:
        runs = [0] + runs
    return runs


def random_polygon(rng, w, h, kind):
    n = rng.randint(1, 9) if kind != "star" else 2 * rng.randint(3, 7)
    margin = {"inside": 0, "border": 0, "outside": max(w, h), "far": 3 * max(w, h)}.get(kind, 2)
    if kind == "star":
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(1, max(w, h) / 1.5)
        pts = []
        for i in range(n):
            rr = r if i % 2 == 0 else r * rng.uniform(0.1, 0.6)
            t = 2 * np.pi * i / n
            pts.append((int(cx + rr * np.cos(t)), int(cy + rr * np.sin(t))))
        return pts
    if kind == "border":
        # vertices on and just past the image border, as x*W with x = 1.0 produces
        choices_x = [0, w - 1, w, rng.randint(0, w)]
        choices_y = [0, h - 1, h, rng.randint(0, h)]
        return [(rng.choice(choices_x), rng.choice(choices_y)) for _ in range(max(n, 3))]
    pts = [(rng.randint(-margin, w - 1 + margin), rng.randint(-margin, h - 1 + margin)) for _ in range(n)]
    if kind == "dupes" and len(pts) > 1:
        i = rng.randrange(len(pts))
        pts.insert(i, pts[i])
    if kind == "axis":
        pts = [(x - x % 4, y - y % 3) for x, y in pts]
    return pts


def main():
    rng = random.Random(SEED)
    print("OpenCV", cv2.__version__, file=sys.stderr)
    cases = []
    kinds = ["inside", "loose", "star", "border", "outside", "far", "dupes", "axis"]
    for i in range(480):
        w, h = rng.randint(1, 40), rng.randint(1, 32)
        kind = kinds[i % len(kinds)]
        n_contours = 1 if i % 5 else rng.randint(2, 3)
        contours = [random_polygon(rng, w, h, kind) for _ in range(n_contours)]
        mask = np.zeros((h, w), np.uint8)
        cv2.fillPoly(mask, [np.array(c, np.int32).reshape(-1, 2) for c in contours], 1)
        cases.append({
            "kind": kind,
            "width": w,
            "height": h,
            "contours": [[v for p in c for v in p] for c in contours],
            "pixels": int(mask.sum()),
            "runs": row_major_runs(mask),
        })
    # Larger images, many vertices, and EA-style vertices (normalised points in [0, 1] times W, H, truncated, so
    # x = 1.0 lands on column W, just outside the image).
    for i in range(60):
        w, h = rng.randint(60, 200), rng.randint(40, 150)
        if i % 3 == 2:
            n = rng.randint(3, 40)
            norm = [(rng.choice([0.0, 1.0, rng.random()]), rng.choice([0.0, 1.0, rng.random()])) for _ in range(n)]
            contours = [(np.array(norm) * [w, h]).astype(int).tolist()]
            kind = "ea-normalised"
        else:
            contours = [random_polygon(rng, w, h, "star" if i % 3 == 0 else "loose")]
            kind = "big"
        mask = np.zeros((h, w), np.uint8)
        cv2.fillPoly(mask, [np.array(c, np.int32).reshape(-1, 2) for c in contours], 1)
        cases.append({"kind": kind, "width": w, "height": h, "contours": [[v for p in c for v in p] for c in contours],
                      "pixels": int(mask.sum()), "runs": row_major_runs(mask)})
    # Encord Active's own example: x 0.5-0.9, y 0.1-0.4 on a 100x80 image fills 41 x 25 px.
    pts = (np.array([[0.5, 0.1], [0.9, 0.1], [0.9, 0.4], [0.5, 0.4]]) * [100, 80]).astype(int)
    mask = np.zeros((80, 100), np.uint8)
    cv2.fillPoly(mask, [pts.astype(np.int32)], 1)
    cases.append({"kind": "ea-example", "width": 100, "height": 80, "contours": [pts.ravel().tolist()],
                  "pixels": int(mask.sum()), "runs": row_major_runs(mask)})
    doc = {
        "what": "cv2.fillPoly(mask, contours, 1) on zeroed uint8 masks, default LINE_8, shift 0",
        "opencv": cv2.__version__,
        "generator": "scripts/gen-fillpoly-fixture.py",
        "seed": SEED,
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {OUT} ({OUT.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
