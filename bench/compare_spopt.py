"""Yiju's planner against spopt's MaxPHeuristic on the same instances and the same adjacency.

MaxP is run per connected piece of the adjacency (it needs a connected graph), with the
lower band as its floor-area threshold and the projected coordinates as the attributes it
keeps homogeneous; pieces whose whole total is below the band are one zone for both tools
(they are unavoidable violations). Several MaxP runs with different random seeds are made,
because its zone count varies from run to run. Every labelling is scored by `measure`.

    python3 bench/compare_spopt.py bench/instances/district-60.geojson [--maxp-runs 5] [--time-budget 600]
"""
import argparse
import random
import sys
import time
import warnings

import numpy as np

from common import components, load, measure, yiju

warnings.filterwarnings("ignore")


def maxp(nodes, low, seed, budget):
    import geopandas as gpd
    import libpysal
    from shapely.geometry import Point
    from spopt.region import MaxPHeuristic

    random.seed(seed)
    np.random.seed(seed)
    labels = [None] * len(nodes)
    started = time.monotonic()
    for piece in components(nodes):
        total = sum(nodes[i]["area"] for i in piece)
        if total < low or len(piece) == 1:
            for i in piece:
                labels[i] = f"u{piece[0]}"
            continue
        if time.monotonic() - started > budget:
            return None, time.monotonic() - started
        ids = [nodes[i]["id"] for i in piece]
        local = {nid: k for k, nid in enumerate(ids)}
        neighbours = {k: [local[n] for n in nodes[i]["neighbors"] if n in local] for k, i in enumerate(piece)}
        w = libpysal.weights.W(neighbours, silence_warnings=True)
        gdf = gpd.GeoDataFrame({"x": [nodes[i]["x"] for i in piece], "y": [nodes[i]["y"] for i in piece],
                                "floorArea": [nodes[i]["area"] for i in piece]},
                               geometry=[Point(nodes[i]["x"], nodes[i]["y"]) for i in piece])
        model = MaxPHeuristic(gdf, w, ["x", "y"], "floorArea", low, top_n=2)
        model.solve()
        for k, i in enumerate(piece):
            labels[i] = f"{piece[0]}-{model.labels_[k]}"
    return labels, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("instance")
    parser.add_argument("--maxp-runs", type=int, default=5)
    parser.add_argument("--time-budget", type=float, default=600, help="seconds per MaxP run before giving up")
    args = parser.parse_args()
    doc, nodes = load(args.instance)
    low, high = doc["zoning"]["minFloorArea"], doc["zoning"]["maxFloorArea"]

    seconds, labels = yiju(args.instance)
    ours = measure(nodes, labels, low, high)
    print(f"{args.instance}: {len(nodes)} compounds, band {low:.0f}–{high:.0f} m²")
    print(f"{'tool':<22}{'seconds':>10}{'zones':>7}{'lower':>7}{'upper':>7}{'dispersion km²':>16}")
    print(f"{'Yiju (median of 7)':<22}{seconds:>10.4f}{ours['zones']:>7}{ours['lower']:>7}{ours['upper']:>7}{ours['dispersion_km2']:>16.3f}")
    results = []
    for run in range(args.maxp_runs):
        labels, elapsed = maxp(nodes, low, seed=run, budget=args.time_budget)
        if labels is None:
            print(f"{'spopt MaxP seed ' + str(run):<22}{elapsed:>10.1f}  did not finish within {args.time_budget:.0f} s")
            continue
        m = measure(nodes, labels, low, high)
        results.append((m, elapsed))
        print(f"{'spopt MaxP seed ' + str(run):<22}{elapsed:>10.2f}{m['zones']:>7}{m['lower']:>7}{m['upper']:>7}{m['dispersion_km2']:>16.3f}")
    if results:
        best = max(results, key=lambda r: (r[0]["zones"], -r[0]["dispersion_km2"]))
        median_time = sorted(r[1] for r in results)[len(results) // 2]
        print(f"best MaxP: {best[0]['zones']} zones, dispersion {best[0]['dispersion_km2']:.3f} km²; "
              f"MaxP zone counts over runs: {sorted(r[0]['zones'] for r in results)}")
        print(f"Yiju vs best MaxP: zones {ours['zones']} vs {best[0]['zones']}, dispersion {ours['dispersion_km2']:.3f} vs "
              f"{best[0]['dispersion_km2']:.3f} km², speed-up {median_time / seconds:,.0f}× (median MaxP run / median Yiju run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
