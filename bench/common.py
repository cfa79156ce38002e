"""Shared helpers for the comparison scripts: read a planner instance (docs/ZONING.md) written by
`ZoningBenchmark --write-instances`, project it to metres exactly as Yiju does, and measure
any labelling (zone per compound) with Yiju's definitions, so every tool is scored alike."""
import json
import math
import os
import subprocess
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCHMARK = os.path.join(ROOT, ".build", "release", "ZoningBenchmark")


def load(path):
    doc = json.load(open(path))
    compounds = [f for f in doc["features"] if f["geometry"]["type"] == "Point"]
    lon0 = sum(f["geometry"]["coordinates"][0] for f in compounds) / len(compounds)
    lat0 = sum(f["geometry"]["coordinates"][1] for f in compounds) / len(compounds)
    mx, my = 111_320.0 * math.cos(math.radians(lat0)), 111_132.0
    nodes = []
    for f in compounds:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        nodes.append({"id": p["id"], "street": p["street"], "area": float(p["floorArea"]),
                      "x": (lon - lon0) * mx, "y": (lat - lat0) * my, "neighbors": p.get("neighbors", [])})
    return doc, nodes


def measure(nodes, labels, low, high):
    """Zones, band violations (lower, upper) and dispersion (km²): Σ over compounds of the
    squared distance to the zone's floor-area-weighted centre, as Yiju reports it."""
    zones = defaultdict(list)
    for node, label in zip(nodes, labels):
        zones[label].append(node)
    lower = upper = 0
    dispersion = 0.0
    for members in zones.values():
        area = sum(m["area"] for m in members)
        cx = sum(m["area"] * m["x"] for m in members) / area
        cy = sum(m["area"] * m["y"] for m in members) / area
        dispersion += sum((m["x"] - cx) ** 2 + (m["y"] - cy) ** 2 for m in members)
        lower += area < low
        upper += area > high
    return {"zones": len(zones), "lower": lower, "upper": upper, "dispersion_km2": dispersion / 1e6}


def components(nodes):
    """Connected pieces of the adjacency, as lists of node indices."""
    index = {n["id"]: i for i, n in enumerate(nodes)}
    seen, pieces = set(), []
    for start in range(len(nodes)):
        if start in seen:
            continue
        piece, stack = [], [start]
        seen.add(start)
        while stack:
            v = stack.pop()
            piece.append(v)
            for u in (index[n] for n in nodes[v]["neighbors"]):
                if u not in seen:
                    seen.add(u)
                    stack.append(u)
        pieces.append(sorted(piece))
    return pieces


def yiju(path, runs=7):
    """Plans the instance with Yiju's release build; returns (median seconds, labels)."""
    out = path + ".yiju.geojson"
    line = subprocess.run([BENCHMARK, "--plan", path, "--output", out, "--runs", str(runs)],
                          check=True, capture_output=True, text=True).stdout.split()
    seconds = float(line[line.index("median_ms") + 1]) / 1000
    doc = json.load(open(out))
    labels = [f["properties"]["zone"] for f in doc["features"] if f["geometry"]["type"] == "Point"]
    return seconds, labels
