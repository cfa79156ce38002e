"""The console's static files against a plain route of the same server, in one run.

Starts `yiju serve` (YIJU_BINARY; the release build for figures worth quoting) on a copy of
the demo database, then drives with wrk (Debian's package), ROUNDS rounds (default 3) of
DURATION seconds each, alternating: the 13 KB stylesheet by the versioned URL the pages use
(`/css/console.css?v=…`), and `/livez`, which answers `ok` without the database — what a
route of this server costs with nothing behind it. Prints each round's requests per
second and p99, the medians and the ratio file/plain. Then times the console's busiest
pages server-side (time to the first byte on loopback, median of PAGE_RUNS requests) as
the bureau admin.

    YIJU_BINARY=.build/release/yiju python3 bench/static_files.py
"""
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "system"))
from yiju_server import BINARY, Server  # noqa: E402

DURATION = int(os.environ.get("DURATION", "10"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "32"))
PAGE_RUNS = int(os.environ.get("PAGE_RUNS", "15"))
PORT = int(os.environ.get("PORT", "18650"))
PAGES = ["/console", "/console/cases", "/console/cases/figures", "/console/compounds", "/console/companies", "/console/renovation", "/console/map"]


def wrk(url):
    out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", url],
                         check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    p99 = re.search(r"99%\s+([0-9.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed responses\n{out}")
    return rps, float(p99.group(1)) * scale


def console_session(server):
    """Logs in through the console's form (CSRF token included); returns an opener with the cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(server.base + "/login").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    form = {"_csrf": csrf, "username": "admin", "password": "demo-yiju-2026", "next": ""}
    opener.open(server.base + "/login", data=urllib.parse.urlencode(form).encode())
    return opener


def first_byte(opener, url):
    started = time.monotonic()
    with opener.open(url) as res:
        res.read(1)
        elapsed = time.monotonic() - started
        res.read()
        if res.status != 200:
            raise RuntimeError(f"{url}: {res.status}")
    return elapsed * 1000


def main():
    server = Server(PORT)
    try:
        server.start()
        login = urllib.request.urlopen(server.base + "/login").read().decode()
        stylesheet = re.search(r"/css/console\.css\?v=[0-9a-f]+", login).group(0)
        size = len(urllib.request.urlopen(server.base + stylesheet).read())
        print(f"binary: {BINARY}; wrk -t2 -c{CONNECTIONS}, {ROUNDS} rounds of {DURATION} s each; stylesheet {size} bytes")
        files, plain = [], []
        for n in range(ROUNDS):
            files.append(wrk(server.base + stylesheet))
            plain.append(wrk(server.base + "/livez"))
            print(f"round {n + 1}: {stylesheet.split('?')[0]} {files[-1][0]:,.0f}/s (p99 {files[-1][1]:.1f} ms); "
                  f"/livez {plain[-1][0]:,.0f}/s (p99 {plain[-1][1]:.1f} ms)", flush=True)
        f, p = statistics.median(r for r, _ in files), statistics.median(r for r, _ in plain)
        print(f"median: stylesheet {f:,.0f}/s, plain route {p:,.0f}/s, ratio {f / p:.2f}")

        opener = console_session(server)
        print(f"console pages as admin, time to first byte, median of {PAGE_RUNS} (after one warm-up):")
        for page in PAGES:
            first_byte(opener, server.base + page)
            times = [first_byte(opener, server.base + page) for _ in range(PAGE_RUNS)]
            print(f"  {page:24} {statistics.median(times):7.1f} ms (max {max(times):.1f})")
    finally:
        server.stop()
        server.remove_database()


if __name__ == "__main__":
    main()
