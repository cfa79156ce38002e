"""Intake throughput and latency through the API, and durability under that load.

Starts `yiju serve` (YIJU_BINARY, the release build for figures worth quoting) on a fresh
database with the demo district, then drives POST /api/v1/cases with wrk (Debian's
package) in ROUNDS rounds (default 3) of DURATION seconds: hotline cases with unique
work-order numbers on random compounds and domains, from CONNECTIONS connections. Prints
each round's requests per second and latency percentiles as wrk measured them, and where
the CPU went (how busy the whole machine was; CPU milliseconds per request of the server,
of PostgreSQL's processes and of wrk), then the medians (this shared 2-core machine varies
by a quarter from one round to the next). With --kill it runs one round, SIGKILLs the
server halfway through it, restarts it and checks that every case acknowledged with 201 is
in the database.

    YIJU_BINARY=.build/release/yiju python3 bench/case_intake.py
    YIJU_BINARY=.build/release/yiju python3 bench/case_intake.py --kill
    DATABASE_URL=postgres://… YIJU_BINARY=… python3 bench/case_intake.py   # PostgreSQL
"""
import json
import os
import re
import resource
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


def process_cpu_seconds(pid):
    """User + system CPU of a process, all its threads, from /proc."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds():
    """CPU of every PostgreSQL process on the machine (backends, WAL writer, checkpointer …)."""
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if open(f"/proc/{pid}/comm").read().startswith("postgres"):
                total += process_cpu_seconds(pid)
        except OSError:
            pass  # the process ended meanwhile
    return total


def machine_ticks():
    """(busy, total) clock ticks of all cores since boot."""
    fields = [int(v) for v in open("/proc/stat").readline().split()[1:9]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


class CpuMeter:
    """Where the CPU of one round went: read before and after it."""

    def __init__(self, server_pid, postgres):
        self.server_pid, self.postgres = server_pid, postgres
        self.server = process_cpu_seconds(server_pid)
        self.pg = postgres_cpu_seconds() if postgres else 0.0
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.ticks = machine_ticks()

    def report(self, requests):
        """One line, and the total CPU milliseconds per request."""
        server = process_cpu_seconds(self.server_pid) - self.server
        pg = postgres_cpu_seconds() - self.pg if self.postgres else 0.0
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        wrk = children.ru_utime + children.ru_stime - self.children.ru_utime - self.children.ru_stime
        busy, total = (after - before for after, before in zip(machine_ticks(), self.ticks))
        per = lambda seconds: 1000 * seconds / max(requests, 1)
        line = (f"  cpu: machine {100 * busy / max(total, 1):.0f}% busy; per request: server {per(server):.2f} ms"
                + (f", PostgreSQL {per(pg):.2f} ms" if self.postgres else "") + f", wrk {per(wrk):.2f} ms")
        return line, per(server + pg + wrk)


def main():
    kill = "--kill" in sys.argv
    env = {}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    server = Server(port=18095, extra_env=env, fresh=True)
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
            meter = CpuMeter(server.process.pid, postgres=bool(env)) if not kill else None
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
            requests = re.search(r"(\d+) requests in", out)
            cpu = None
            if meter and requests:
                line, cpu = meter.report(int(requests.group(1)))
                print(line)
            if rps and "99" in lat:
                measured.append((float(rps.group(1)), milliseconds(lat["50"]), milliseconds(lat["99"]), cpu))
        if measured:
            print(f"intake: median of {len(measured)} round(s): {statistics.median(m[0] for m in measured):.0f} requests/s, "
                  f"p50 {statistics.median(m[1] for m in measured):.1f} ms, p99 {statistics.median(m[2] for m in measured):.1f} ms; "
                  f"{len(acked)} acknowledged with 201")
            cpus = [m[3] for m in measured if m[3] is not None]
            if cpus:
                print(f"cpu: median {statistics.median(cpus):.2f} ms of CPU per request in all (server, database, wrk): "
                      f"{os.cpu_count()} cores can give at most {1000 * os.cpu_count() / statistics.median(cpus):.0f} requests/s")
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
