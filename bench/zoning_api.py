"""Times zoning through the running product, as an officer's client sees it: generating a
plan for every street office of the demo district through the API, and moving a compound
(POST …/edits) on the largest one. Each figure is the median of REPEATS requests, all in
one run against one server; the machine's other load shows in the min–max spread.

    python3 bench/zoning_api.py                      # against .build/debug/yiju
    YIJU_BINARY=.build/release/yiju python3 bench/zoning_api.py
"""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "system"))
from yiju_server import BINARY, Server  # noqa: E402

REPEATS = int(os.environ.get("REPEATS", "7"))


def timed(call):
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def main():
    server = Server(port=18090, fresh=True)
    server.start()
    try:
        token = server.token("admin")
        status, offices = server.api("GET", "/street-offices", token)
        assert status == 200, status
        rows = []
        for office in offices:
            times, plan = [], None
            for _ in range(REPEATS):
                ms, (status, plan) = timed(lambda: server.api("POST", f"/street-offices/{office['id']}/zoning-plans", token,
                                                              {"minFloorArea": 40000, "maxFloorArea": 150000, "zonesPerLot": 3}))
                assert status == 201, (status, plan)
                times.append(ms)
            status, full = server.api("GET", f"/zoning-plans/{plan['id']}", token)
            compounds = sum(len(z["compoundIds"]) for z in full["zoneTable"])
            rows.append((office["code"], office["name"], compounds, plan["zones"], times, plan["id"]))
        print(f"binary: {os.path.relpath(BINARY)}; {REPEATS} requests each, median (min–max) in ms")
        print(f"{'office':<8}{'compounds':>10}{'zones':>7}{'generate ms':>14}")
        for code, name, compounds, zones, times, _ in rows:
            print(f"{code:<8}{compounds:>10}{zones:>7}{statistics.median(times):>10.1f} ({min(times):.0f}–{max(times):.0f})")

        code, name, compounds, zones, times, plan_id = max(rows, key=lambda r: r[2])
        print(f"largest street office: {code} {name}, {compounds} compounds taking part → {zones} zones, "
              f"generate median {statistics.median(times):.1f} ms")

        # Moves on the largest: lock and unlock one zone alternately (always accepted), then
        # real moves found by trying neighbours, timed only when accepted.
        status, full = server.api("GET", f"/zoning-plans/{plan_id}", token)
        revision = full["revision"]
        zone = full["zoneTable"][0]["id"]
        edit_times = []
        for i in range(REPEATS * 2):
            kind = "lock" if i % 2 == 0 else "unlock"
            ms, (status, body) = timed(lambda: server.api("POST", f"/zoning-plans/{plan_id}/edits", token,
                                                          {"revision": revision, "change": {"kind": kind, "zoneId": zone}}))
            assert status == 200, (status, body)
            revision = body["plan"]["revision"]
            edit_times.append(ms)
        move_times, tried = [], 0
        zones_of = {c: z["id"] for z in full["zoneTable"] for c in z["compoundIds"]}
        for compound, own in zones_of.items():
            for z in full["zoneTable"]:
                if z["id"] == own or len(move_times) >= REPEATS:
                    continue
                tried += 1
                ms, (status, body) = timed(lambda: server.api("POST", f"/zoning-plans/{plan_id}/edits", token,
                                                              {"revision": revision, "change": {"kind": "move", "compoundId": compound, "zoneId": z["id"]}}))
                if status == 200:
                    revision = body["plan"]["revision"]
                    move_times.append(ms)
                    break
            if len(move_times) >= REPEATS:
                break
        print(f"edit (lock/unlock) through the API: median {statistics.median(edit_times):.1f} ms "
              f"({min(edit_times):.0f}–{max(edit_times):.0f}, n={len(edit_times)})")
        if move_times:
            print(f"accepted move through the API: median {statistics.median(move_times):.1f} ms "
                  f"({min(move_times):.0f}–{max(move_times):.0f}, n={len(move_times)}; {tried} tried, the rest refused)")
    finally:
        server.stop()
        server.remove_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
