"""The ledger and the figures with a million cases in the database (SQLite).

Starts `yiju serve` on a fresh SQLite file to get the demo district and its two years of
cases, stops it, multiplies those cases up to CASES rows with fresh ids, numbers and
receipt times spread over the same two years (written straight into the file, in one
transaction), starts the server again and times, through the API, as the bureau admin
and as a street officer: the ledger's first page, a filtered ledger page, and a year of
figures by street office and by domain. Medians of REPEATS requests, one run.

    YIJU_BINARY=.build/release/yiju python3 bench/case_scale.py
"""
import os
import random
import sqlite3
import statistics
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "system"))
from yiju_server import BINARY, Server  # noqa: E402

CASES = int(os.environ.get("CASES", "1000000"))
REPEATS = int(os.environ.get("REPEATS", "7"))


def multiply(path, target):
    db = sqlite3.connect(path)
    columns = [row[1] for row in db.execute("PRAGMA table_info(cases)")]
    rows = db.execute(f"SELECT {', '.join(columns)} FROM cases").fetchall()
    have = len(rows)
    received = columns.index("received_at")
    start = min(r[received] for r in rows)
    end = max(r[received] for r in rows)
    rng = random.Random(7)
    time_columns = [i for i, c in enumerate(columns) if c.endswith("_at") and c not in ("received_at",)]
    started = time.perf_counter()
    db.execute("BEGIN")
    batch = []
    for n in range(target - have):
        template = list(rows[rng.randrange(have)])
        shift = rng.uniform(start, end) - template[received]
        template[columns.index("id")] = str(uuid.UUID(int=rng.getrandbits(128))).upper()
        template[columns.index("number")] = f"YJB-{n:07d}"
        template[columns.index("external_number")] = None
        template[columns.index("repeat_of_id")] = None
        template[received] += shift
        for i in time_columns:
            if template[i] is not None:
                template[i] += shift
        batch.append(template)
        if len(batch) == 20000:
            db.executemany(f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", batch)
            batch.clear()
    if batch:
        db.executemany(f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", batch)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    total = db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    db.close()
    return have, total, time.perf_counter() - started


def timed(server, token, path):
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        status, body = server.api("GET", path, token)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, (status, body)
    return statistics.median(times), min(times), max(times)


def main():
    # The copies carry their originals' open states into the past; with the timers on, the
    # server would spend the run issuing supervision orders for them, so they are off.
    server = Server(port=18096, extra_env={"CASE_TIMERS": "off"}, fresh=True)
    server.start(timeout=900)
    server.stop()
    have, total, seconds = multiply(server.sqlite_path, CASES)
    print(f"binary: {os.path.relpath(BINARY)}; {have} demo cases multiplied to {total} in {seconds:.0f} s")
    server.start(timeout=900)
    try:
        admin, officer = server.token("admin"), server.token("qizheng")
        now = time.time()
        year_ago = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 365 * 86400))
        today = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
        probes = [
            ("ledger, first page (bureau)", admin, "/cases?limit=50"),
            ("ledger, open red cases (bureau)", admin, "/cases?colour=red&open=true&limit=50"),
            ("ledger, first page (street officer)", officer, "/cases?limit=50"),
            ("ledger, overdue (street officer)", officer, "/cases?overdue=true&limit=50"),
            ("figures, a year by street office (bureau)", admin, f"/case-figures?groupBy=streetOffice&from={year_ago}&to={today}"),
            ("figures, a year by domain (street officer)", officer, f"/case-figures?groupBy=domain&from={year_ago}&to={today}"),
        ]
        for label, token, path in probes:
            median, low, high = timed(server, token, path)
            print(f"{label}: median {median:.1f} ms (min {low:.1f}, max {high:.1f})")
    finally:
        server.stop()
        server.remove_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
