"""The ledger's export streamed from a database of a million cases (SQLite).

Builds the database as bench/case_scale.py does (the demo's two years of cases multiplied
up to CASES rows), starts `yiju serve` on it and downloads GET /api/v1/cases/export as CSV
and as .xlsx, REPEATS times each, as the bureau admin (every case). For each it prints the
medians of: the time to the first byte of the body, the whole download's time and size,
the rows in it, and the server's resident memory above what it held before (sampled every
50 ms). Then it starts one more .xlsx download, closes the connection after the first
megabyte, and prints the server's CPU time in the three seconds before and after: a
disconnected client must stop the work.

    YIJU_BINARY=.build/release/yiju python3 bench/export_stream.py
    CASES=200000 REPEATS=1 python3 bench/export_stream.py      # a quicker look
"""
import http.client
import io
import os
import statistics
import sys
import threading
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "system"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from case_scale import CASES, multiply  # noqa: E402
from yiju_server import Server, cpu_seconds  # noqa: E402

REPEATS = int(os.environ.get("REPEATS", "3"))


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def download(server, token, fmt, keep=False, stop_after=None):
    """(seconds to first byte, seconds in all, bytes, body if kept, peak RSS above the start in MB)."""
    pid = server.process.pid
    before = rss_kb(pid)
    peak = [before]
    sampling = threading.Event()

    def sample():
        while not sampling.is_set():
            peak[0] = max(peak[0], rss_kb(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", f"/api/v1/cases/export?format={fmt}", headers={"Authorization": "Bearer " + token})
    response = connection.getresponse()
    assert response.status == 200, (response.status, response.read()[:500])
    first = response.read1(65536)
    ttfb = time.perf_counter() - started
    size = len(first)
    body = io.BytesIO() if keep else None
    if body:
        body.write(first)
    while True:
        if stop_after and size >= stop_after:
            connection.sock.close()
            break
        chunk = response.read1(1 << 20)
        if not chunk:
            break
        size += len(chunk)
        if body:
            body.write(chunk)
    total = time.perf_counter() - started
    sampling.set()
    sampler.join()
    connection.close()
    return ttfb, total, size, body, (peak[0] - before) / 1024


def rows_in(fmt, body):
    data = body.getvalue()
    if fmt == "csv":
        return data.count(b"\n") - 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        with archive.open("xl/worksheets/sheet1.xml") as sheet:
            rows, tail = 0, b""
            for block in iter(lambda: sheet.read(1 << 20), b""):
                # A tag may be split between two reads: the last bytes of one go with the next.
                rows += (tail + block).count(b"<row ")
                tail = block[-4:]
        return rows - 1


def main():
    server = Server(port=18097, extra_env={"CASE_TIMERS": "off"}, fresh=True)
    server.start(timeout=900)
    server.stop()
    have, total, seconds = multiply(server.sqlite_path, CASES)
    print(f"{total} cases in the database ({have} from the demo, the rest copied in {seconds:.0f} s)")
    server.start(timeout=900)
    token = server.token("admin")
    for fmt in ("csv", "xlsx"):
        runs = [download(server, token, fmt, keep=(n == 0)) for n in range(REPEATS)]
        rows = rows_in(fmt, runs[0][3])
        print(f"{fmt}: first byte after {statistics.median(r[0] for r in runs) * 1000:.0f} ms, "
              f"all {rows} rows ({statistics.median(r[2] for r in runs) / 2**20:.0f} MB) in {statistics.median(r[1] for r in runs):.1f} s, "
              f"server memory +{statistics.median(r[4] for r in runs):.0f} MB at most (medians of {REPEATS})")
        del runs

    pid = server.process.pid
    reading = threading.Thread(target=download, args=(server, token, "xlsx"), kwargs={"stop_after": 1 << 20})
    busy_start = cpu_seconds(pid)
    reading.start()
    reading.join()
    time.sleep(0.5)
    after_start = cpu_seconds(pid)
    time.sleep(3)
    after = cpu_seconds(pid) - after_start
    print(f"disconnect after 1 MB: the server used {after:.2f} s of CPU in the 3 s after it "
          f"(the download itself used {after_start - busy_start:.2f} s until the close)")
    server.stop()
    server.remove_database()


if __name__ == "__main__":
    main()
