"""The exact max-p model on a small instance, solved with HiGHS, against Yiju's planner.

Model (a flow formulation of contiguity, after Shirabe 2005 and Duque et al. 2012):
  r[k]      1 when compound k is the root of a zone; by symmetry breaking a zone's root is
            its lowest-numbered compound, so y[i,k] exists only for i >= k;
  y[i,k]    1 when compound i is in the zone rooted at k;
  f[i,j,k]  flow on arc i→j towards root k: every member sends one unit to its root along
            arcs inside its zone, which makes every zone connected.
  Each compound in exactly one zone; a zone's floor area within [L, U] when it exists.
Phase 1 maximises the number of zones (the max-p objective). Phase 2 fixes that number and
minimises Σ y[i,k]·d²(i,k), squared distance to the root (the linear stand-in for
dispersion). Both plans are then scored with Yiju's dispersion (squared distance to the
floor-area-weighted centre), which is what the gap is quoted in.

Pairs (i, k) more than --max-hops apart in the adjacency are left out: such a zone would be
a chain far longer than any max-p zone on these instances; the bound is printed.

    python3 bench/exact_maxp.py bench/instances/district-60.geojson [--time-limit 1800]
"""
import argparse
import sys
import time
from collections import deque

import highspy

from common import load, measure, yiju


def hops_from(nodes, index, start):
    dist = {start: 0}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for n in nodes[v]["neighbors"]:
            u = index[n]
            if u not in dist:
                dist[u] = dist[v] + 1
                queue.append(u)
    return dist


def solve(nodes, low, high, max_hops, time_limit):
    n = len(nodes)
    index = {node["id"]: i for i, node in enumerate(nodes)}
    reach = [hops_from(nodes, index, k) for k in range(n)]
    pairs = {k: [i for i in range(k, n) if reach[k].get(i, 10**9) <= max_hops] for k in range(n)}
    arcs = [(i, index[m]) for i in range(n) for m in nodes[i]["neighbors"]]
    d2 = lambda i, k: (nodes[i]["x"] - nodes[k]["x"]) ** 2 + (nodes[i]["y"] - nodes[k]["y"]) ** 2

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    r = [h.addBinary() for _ in range(n)]
    y = {(i, k): h.addBinary() for k in range(n) for i in pairs[k]}
    members = {k: set(pairs[k]) for k in range(n)}
    f = {}
    for k in range(n):
        for (i, j) in arcs:
            if i in members[k] and j in members[k] and i != k:
                f[i, j, k] = h.addVariable(lb=0, ub=n)
    for i in range(n):
        h.addConstr(sum(y[i, k] for k in range(n) if (i, k) in y) == 1)
    for k in range(n):
        h.addConstr(y[k, k] == r[k])
        area = sum(nodes[i]["area"] * y[i, k] for i in pairs[k])
        h.addConstr(area - low * r[k] >= 0)
        h.addConstr(area - high * r[k] <= 0)
        for i in pairs[k]:
            if i == k:
                continue
            h.addConstr(y[i, k] - r[k] <= 0)
            out_flow = sum(f[i, j, k] for j in (index[m] for m in nodes[i]["neighbors"]) if (i, j, k) in f)
            in_flow = sum(f[j, i, k] for j in (index[m] for m in nodes[i]["neighbors"]) if (j, i, k) in f)
            h.addConstr(out_flow - in_flow - y[i, k] == 0)
        for (i, j, kk), var in ((key, v) for key, v in f.items() if key[2] == k):
            h.addConstr(var - n * y[i, k] <= 0)
            if j != k:
                h.addConstr(var - n * y[j, k] <= 0)
            else:
                h.addConstr(var - n * r[k] <= 0)

    started = time.monotonic()
    h.maximize(sum(r))
    p_status = h.getModelStatus()
    p = round(h.getInfo().objective_function_value)
    p_bound = h.getInfo().mip_dual_bound
    phase1 = time.monotonic() - started
    h.addConstr(sum(r) == p)
    h.minimize(sum(d2(i, k) * var for (i, k), var in y.items()))
    phase2 = time.monotonic() - started - phase1
    status = h.getModelStatus()
    values = h.vals(list(y.values()))
    labels = [None] * n
    for ((i, k), _), value in zip(y.items(), values):
        if value > 0.5:
            labels[i] = k
    return {"p": p, "p_bound": p_bound, "phase1": phase1, "phase2": phase2, "labels": labels,
            "status1": h.modelStatusToString(p_status), "status2": h.modelStatusToString(status),
            "variables": len(r) + len(y) + len(f)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("instance")
    parser.add_argument("--max-hops", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=1800, help="seconds per phase")
    args = parser.parse_args()
    doc, nodes = load(args.instance)
    low, high = doc["zoning"]["minFloorArea"], doc["zoning"]["maxFloorArea"]
    seconds, ours_labels = yiju(args.instance)
    ours = measure(nodes, ours_labels, low, high)
    exact = solve(nodes, low, high, args.max_hops, args.time_limit)
    print(f"{args.instance}: {len(nodes)} compounds; model with {exact['variables']} variables, zones at most {args.max_hops} hops across")
    print(f"phase 1 (max zones): {exact['status1']}, p = {exact['p']} (dual bound {exact['p_bound']:.2f}) in {exact['phase1']:.1f} s")
    print(f"phase 2 (min root distance at p): {exact['status2']} in {exact['phase2']:.1f} s")
    if None in exact["labels"]:
        print("phase 2 returned no complete solution")
        return 1
    best = measure(nodes, exact["labels"], low, high)
    gap = (ours["dispersion_km2"] - best["dispersion_km2"]) / best["dispersion_km2"] * 100
    print(f"{'':<10}{'zones':>7}{'lower':>7}{'upper':>7}{'dispersion km²':>16}{'seconds':>10}")
    print(f"{'exact':<10}{best['zones']:>7}{best['lower']:>7}{best['upper']:>7}{best['dispersion_km2']:>16.3f}{exact['phase1'] + exact['phase2']:>10.1f}")
    print(f"{'Yiju':<10}{ours['zones']:>7}{ours['lower']:>7}{ours['upper']:>7}{ours['dispersion_km2']:>16.3f}{seconds:>10.4f}")
    print(f"zone count {'matches' if ours['zones'] == best['zones'] else 'differs from'} the optimum; "
          f"dispersion gap {gap:+.1f} % (negative: Yiju lower than the exact model's plan)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
