#!/usr/bin/env python3
"""Generate a reproducible geographic road-like network for the benchmarks.

Random points (fixed seed) in a lon/lat box over Europe and North Africa are
Delaunay-triangulated; each unique triangle side is an undirected edge whose
cost is its geodesic length on WGS84 in kilometres (pyproj.Geod, Karney's
algorithm). Output, in pgRouting's shape:

  edges.csv  id,source,target,cost,reverse_cost,x1,y1,x2,y2
  nodes.csv  id,lon,lat

Node and edge ids start at 1. Edges are written in a shuffled order with random
orientation, as a real export would not be sorted by node. Coordinates and costs
are written with 6 decimals (about 0.1 m and 1 mm).
"""
import argparse
import os
import sys

import numpy as np
import pyproj
from scipy.spatial import Delaunay

# lon/lat box: Portugal to the Black Sea, Morocco to southern Scandinavia.
WEST, EAST, SOUTH, NORTH = -10.0, 40.0, 25.0, 60.0


def write_csv(path, header, columns, formats):
    """Writes columns with per-column %-formats, in blocks to bound memory."""
    tmp = path + ".tmp"
    block = 200_000
    n = len(columns[0])
    row_format = ",".join(formats) + "\n"
    with open(tmp, "w") as out:
        out.write(header + "\n")
        for lo in range(0, n, block):
            hi = min(n, lo + block)
            rows = zip(*(c[lo:hi].tolist() for c in columns))
            out.write("".join(row_format % r for r in rows))
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    rng = np.random.default_rng(args.seed)
    n = args.nodes
    lon = np.round(rng.uniform(WEST, EAST, n), 6)
    lat = np.round(rng.uniform(SOUTH, NORTH, n), 6)

    tri = Delaunay(np.column_stack([lon, lat]))
    s = tri.simplices.astype(np.int64)
    pairs = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    pairs.sort(axis=1)
    keys = np.unique(pairs[:, 0] * n + pairs[:, 1])
    a, b = keys // n, keys % n

    order = rng.permutation(len(a))
    a, b = a[order], b[order]
    flip = rng.random(len(a)) < 0.5
    a, b = np.where(flip, b, a), np.where(flip, a, b)

    geod = pyproj.Geod(ellps="WGS84")
    _, _, metres = geod.inv(lon[a], lat[a], lon[b], lat[b])
    cost = np.round(metres / 1000.0, 6)

    m = len(a)
    edge_ids = np.arange(1, m + 1)
    write_csv(os.path.join(args.out, "edges.csv"), "id,source,target,cost,reverse_cost,x1,y1,x2,y2",
              [edge_ids, a + 1, b + 1, cost, cost, lon[a], lat[a], lon[b], lat[b]],
              ["%d", "%d", "%d", "%.6f", "%.6f", "%.6f", "%.6f", "%.6f", "%.6f"])
    write_csv(os.path.join(args.out, "nodes.csv"), "id,lon,lat",
              [np.arange(1, n + 1), lon, lat], ["%d", "%.6f", "%.6f"])
    size = os.path.getsize(os.path.join(args.out, "edges.csv"))
    print(f"{n} nodes, {m} edges, edges.csv {size / 1e6:.1f} MB -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
