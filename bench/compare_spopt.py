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


def solve_piece(nodes, piece, low, seed, queue):
    """One connected piece, in a child process so a run can be stopped at its time budget."""
    import geopandas as gpd
    import libpysal
    from shapely.geometry import Point
    from spopt.region import MaxPHeuristic

    random.seed(seed)
    np.random.seed(seed)
    ids = [nodes[i]["id"] for i in piece]
    local = {nid: k for k, nid in enumerate(ids)}
    neighbours = {k: [local[n] for n in nodes[i]["neighbors"] if n in local] for k, i in enumerate(piece)}
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    gdf = gpd.GeoDataFrame({"x": [nodes[i]["x"] for i in piece], "y": [nodes[i]["y"] for i in piece],
                            "floorArea": [nodes[i]["area"] for i in piece]},
                           geometry=[Point(nodes[i]["x"], nodes[i]["y"]) for i in piece])
    model = MaxPHeuristic(gdf, w, ["x", "y"], "floorArea", low, top_n=2)
    model.solve()
    queue.put([int(label) for label in model.labels_])


def maxp(nodes, low, seed, budget, piece_limit):
    import multiprocessing

    # Imported here so the forked children inherit them and piece times are MaxP's own.
    import geopandas  # noqa: F401
    import libpysal  # noqa: F401
    import spopt.region  # noqa: F401

    labels = [None] * len(nodes)
    started = time.monotonic()
    pieces = [p for p in components(nodes)]
    for number, piece in enumerate(pieces):
        total = sum(nodes[i]["area"] for i in piece)
        if total < low or len(piece) == 1:
            for i in piece:
                labels[i] = f"u{piece[0]}"
            continue
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=solve_piece, args=(nodes, piece, low, seed, queue))
        piece_started = time.monotonic()
        child.start()
        child.join(max(1, min(piece_limit, budget - (time.monotonic() - started))))
        if child.is_alive():
            child.terminate()
            if time.monotonic() - started >= budget:
                print(f"  seed {seed}: piece {number + 1}/{len(pieces)} ({len(piece)} compounds) unfinished when the {budget:.0f} s budget ran out", flush=True)
                return None, time.monotonic() - started
            # A piece MaxP cannot finish in time counts as one zone, and is reported.
            print(f"  seed {seed}: piece {number + 1}/{len(pieces)} ({len(piece)} compounds) unfinished after {piece_limit:.0f} s; counted as one zone", flush=True)
            for i in piece:
                labels[i] = f"t{piece[0]}"
            continue
        result = queue.get()
        print(f"  seed {seed}: piece {number + 1}/{len(pieces)} ({len(piece)} compounds) in {time.monotonic() - piece_started:.1f} s", flush=True)
        for k, i in enumerate(piece):
            labels[i] = f"{piece[0]}-{result[k]}"
    return labels, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("instance")
    parser.add_argument("--maxp-runs", type=int, default=5)
    parser.add_argument("--time-budget", type=float, default=600, help="seconds per MaxP run before giving up")
    parser.add_argument("--piece-limit", type=float, default=120, help="seconds per connected piece before it counts as one zone")
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
        labels, elapsed = maxp(nodes, low, seed=run, budget=args.time_budget, piece_limit=args.piece_limit)
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
