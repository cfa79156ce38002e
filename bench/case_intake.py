"""Intake throughput and latency through the API, and durability under that load.

Starts `yiju serve` (YIJU_BINARY, the release build for figures worth quoting) on a fresh
database with the demo district, then drives POST /api/v1/cases with wrk (Debian's
package) in ROUNDS rounds (default 3) of DURATION seconds: hotline cases with unique
work-order numbers on random compounds and domains, from CONNECTIONS connections. Prints
each round's requests per second and latency percentiles as wrk measured them, then the
medians (this shared 2-core machine varies by a quarter from one round to the next). With
--kill it runs one round, SIGKILLs the server halfway through it, restarts it and checks
that every case acknowledged with 201 is in the database.

    YIJU_BINARY=.build/release/yiju python3 bench/case_intake.py
    YIJU_BINARY=.build/release/yiju python3 bench/case_intake.py --kill
    DATABASE_URL=postgres://… YIJU_BINARY=… python3 bench/case_intake.py   # PostgreSQL
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "system"))
from yiju_server import BINARY, Server  # noqa: E402

DURATION = int(os.environ.get("DURATION", "20"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "32"))
THREADS = int(os.environ.get("THREADS", "2"))

LUA = r"""
local token, codes, logdir, round = "%(token)s", {%(codes)s}, "%(logdir)s", "%(round)s"
local domains = {"water", "electricity", "gas", "heating", "constructionQuality", "propertyRights", "safety", "maintenanceFund",
                 "propertyService", "sanitation", "parking", "illegalConstruction", "other"}
-- thread_id is a global each thread's setup() sets; a local here would hide it.
local counter, log = 0, nil
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  log = io.open(logdir .. "/acked-" .. thread_id .. ".txt", "w")
  math.randomseed(thread_id * 7919)
end
function request()
  counter = counter + 1
  local number = round .. "B" .. thread_id .. "-" .. counter
  local body = '{"channel":"hotline","externalNumber":"' .. number .. '","reporterName":"压测","reporterPhone":"13800000000",'
    .. '"compoundCode":"' .. codes[math.random(#codes)] .. '","domain":"' .. domains[math.random(#domains)] .. '","description":"bench"}'
  return wrk.format("POST", "/api/v1/cases", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
function response(status, headers, body)
  if status == 201 then
    -- Allow spaces around the colon, should the API ever pretty-print its JSON again.
    local number = body:match('"externalNumber"%%s*:%%s*"([^"]+)"')
    if number then log:write(number, "\n"); log:flush() end
  end
end
"""


def milliseconds(text):
    """wrk's latency ("812.00us", "51.76ms", "1.02s") in milliseconds."""
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def main():
    kill = "--kill" in sys.argv
    env = {}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    server = Server(port=18095, extra_env=env)
    started = server.start(timeout=600)
    try:
        token = server.token("admin")
        status, page = server.api("GET", "/compounds?limit=500", token)
        codes = [c["code"] for c in page["items"]]
        rounds = 1 if kill else ROUNDS
        print(f"binary: {os.path.relpath(BINARY)}; database: {'PostgreSQL' if env else 'SQLite'}; "
              f"{THREADS} wrk threads, {CONNECTIONS} connections, {rounds} round(s) of {DURATION} s; server ready in {started:.1f} s")
        acked, measured = set(), []
        for round_number in range(1, rounds + 1):
            logdir = tempfile.mkdtemp(prefix="yiju-intake-")
            script = os.path.join(logdir, "intake.lua")
            with open(script, "w") as f:
                f.write(LUA % {"token": token, "codes": ",".join(f'"{c}"' for c in codes), "logdir": logdir,
                               "round": f"R{round_number}"})
            if kill:
                killer = threading.Timer(DURATION / 2, server.kill)
                killer.start()
            out = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{DURATION}s", "--latency", "-s", script,
                                  server.base], capture_output=True, text=True).stdout
            for name in os.listdir(logdir):
                if name.startswith("acked-"):
                    acked |= {line.strip() for line in open(os.path.join(logdir, name)) if line.strip()}
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
            lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            print(f"round {round_number}: {rps.group(1) if rps else '?'} requests/s; latency p50 {lat.get('50')}, p90 {lat.get('90')}, "
                  f"p99 {lat.get('99')}; non-2xx {non2xx.group(1) if non2xx else 0}")
            if rps and "99" in lat:
                measured.append((float(rps.group(1)), milliseconds(lat["50"]), milliseconds(lat["99"])))
        if measured:
            print(f"intake: median of {len(measured)} round(s): {statistics.median(m[0] for m in measured):.0f} requests/s, "
                  f"p50 {statistics.median(m[1] for m in measured):.1f} ms, p99 {statistics.median(m[2] for m in measured):.1f} ms; "
                  f"{len(acked)} acknowledged with 201")
        if kill:
            server.start(timeout=600)
            token = server.token("admin")
            missing = 0
            for number in acked:
                status, page = server.api("GET", f"/cases?q={number}&limit=1", token)
                if page["total"] != 1:
                    missing += 1
            print(f"durability: {len(acked)} cases acknowledged before SIGKILL, {len(acked) - missing} present after restart, {missing} lost")
            return 1 if missing else 0
    finally:
        server.stop()
        server.remove_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
