"""A newcomer's first start: `yiju serve` on a fresh SQLite file until it answers.

Each round starts YIJU_BINARY (the debug build by default; the release build for the figure
the issue's target names) on an empty file with the defaults a newcomer has (bcrypt cost
12, the full demo), times it from the process's start to the first 200 from /healthz —
migrations, the demo's registry, zoning, tenders, two years of cases, credit and renovation
— and reads the parts' timings the server prints. It then stops the server and starts it
again on the same file, which is what every later start costs. Prints each round and the
medians of ROUNDS rounds (default 5): this shared 2-core machine varies by a fifth.

    YIJU_BINARY=.build/release/yiju python3 bench/first_start.py
    python3 bench/first_start.py            # debug build
"""
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "system"))
from yiju_server import BINARY, Server  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "5"))
PORT = int(os.environ.get("PORT", "18640"))
TIMING = re.compile(r"(\w+) ([0-9.]+) s")


def demo_line(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "demo district loaded:" in line:
                return line
    raise RuntimeError(f"the server did not report the demo it loaded; see {log_path}")


def round_once():
    server = Server(PORT, fresh=True, extra_env={"LOG_LEVEL": "notice"})
    server.env.pop("BCRYPT_COST", None)  # the newcomer's default, not the checks' cheaper one
    try:
        fresh = server.start(timeout=600)
        line = demo_line(server.log.name)
        server.stop()
        again = server.start(timeout=120)
        server.stop()
        timings = line.split("(", 1)[1].split(";", 1)[0]
        parts = {name: float(seconds) for name, seconds in TIMING.findall(timings)}
        contents = line.split("loaded: ", 1)[1].split(" (", 1)[0]
        return fresh, again, parts, contents
    finally:
        server.stop()
        server.remove_database()


def main():
    print(f"binary: {BINARY}; {ROUNDS} rounds")
    fresh, again, parts, contents = [], [], {}, ""
    for n in range(ROUNDS):
        f, a, p, contents = round_once()
        fresh.append(f)
        again.append(a)
        for name, seconds in p.items():
            parts.setdefault(name, []).append(seconds)
        print(f"round {n + 1}: fresh database ready in {f:.2f} s ({', '.join(f'{k} {v:.2f}' for k, v in p.items())}); "
              f"restart on it {a:.2f} s", flush=True)
    print(f"demo: {contents}")
    print(f"median first start (fresh database, full demo): {statistics.median(fresh):.2f} s (min {min(fresh):.2f}, max {max(fresh):.2f})")
    print(f"median start on the loaded database:            {statistics.median(again):.2f} s")
    print("median parts of the demo: " + ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in parts.items()))
    loaded = sum(statistics.median(v) for v in parts.values())
    print(f"demo loading {loaded:.2f} s of the {statistics.median(fresh):.2f} s; the rest is the process, migrations and the first answer")


if __name__ == "__main__":
    main()
