"""Intake throughput and latency through the API, and durability under that load.

Starts `yiju serve` (YIJU_BINARY, the release build for figures worth quoting) on a fresh
database with the demo district, then drives POST /api/v1/cases with wrk (Debian's
package) for DURATION seconds: hotline cases with unique work-order numbers on random
compounds and domains, from CONNECTIONS connections. Prints requests per second and the latency
percentiles wrk measured. With --kill it SIGKILLs the server halfway through the load,
restarts it and checks that every case acknowledged with 201 is in the database.

    YIJU_BINARY=.build/release/yiju python3 bench/case_intake.py
    YIJU_BINARY=.build/release/yiju python3 bench/case_intake.py --kill
    DATABASE_URL=postgres://… YIJU_BINARY=… python3 bench/case_intake.py   # PostgreSQL
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "system"))
from yiju_server import BINARY, Server  # noqa: E402

DURATION = int(os.environ.get("DURATION", "20"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "32"))
THREADS = int(os.environ.get("THREADS", "2"))

LUA = r"""
local token, codes, logdir = "%(token)s", {%(codes)s}, "%(logdir)s"
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
  local number = "B" .. thread_id .. "-" .. counter
  local body = '{"channel":"hotline","externalNumber":"' .. number .. '","reporterName":"压测","reporterPhone":"13800000000",'
    .. '"compoundCode":"' .. codes[math.random(#codes)] .. '","domain":"' .. domains[math.random(#domains)] .. '","description":"bench"}'
  return wrk.format("POST", "/api/v1/cases", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
function response(status, headers, body)
  if status == 201 then
    -- The API pretty-prints its JSON: allow spaces around the colon.
    local number = body:match('"externalNumber"%%s*:%%s*"([^"]+)"')
    if number then log:write(number, "\n"); log:flush() end
  end
end
"""


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
        logdir = tempfile.mkdtemp(prefix="yiju-intake-")
        script = os.path.join(logdir, "intake.lua")
        with open(script, "w") as f:
            f.write(LUA % {"token": token, "codes": ",".join(f'"{c}"' for c in codes), "logdir": logdir})
        status, before = server.api("GET", "/cases?limit=1", token)
        if kill:
            killer = threading.Timer(DURATION / 2, server.kill)
            killer.start()
        out = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{DURATION}s", "--latency", "-s", script, server.base],
                             capture_output=True, text=True).stdout
        acked = set()
        for name in os.listdir(logdir):
            if name.startswith("acked-"):
                acked |= {line.strip() for line in open(os.path.join(logdir, name)) if line.strip()}
        print(f"binary: {os.path.relpath(BINARY)}; database: {'PostgreSQL' if env else 'SQLite'}; "
              f"{THREADS} wrk threads, {CONNECTIONS} connections, {DURATION} s; server ready in {started:.1f} s")
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        print(f"intake: {rps.group(1) if rps else '?'} requests/s; latency p50 {lat.get('50')}, p90 {lat.get('90')}, p99 {lat.get('99')}; "
              f"{len(acked)} acknowledged with 201; non-2xx {non2xx.group(1) if non2xx else 0}")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
