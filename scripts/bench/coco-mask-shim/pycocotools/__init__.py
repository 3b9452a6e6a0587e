"""Stand-in for pycocotools, only for running gen_coco_large.py where pycocotools is not installed.

It provides the two mask functions the generator calls (frPyObjects on polygons, merge), computed by predlens' own
RLE kernels through scripts/bench/coco-mask-server.ts. scripts/bench/eval.ts checks the generated files against
the sha256 sums in the fixture README, so any difference from pycocotools would be caught there.
"""
