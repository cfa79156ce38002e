"""`yiju backup` while writes run gives a consistent copy.

Four writers create compounds and file hotline cases through the API while `yiju backup`
copies the served SQLite file. The copy must pass `PRAGMA integrity_check` and `yiju check`,
hold every write acknowledged before the backup began, and nothing the writers never sent.
Prints the counts.
"""
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from yiju_server import BINARY, ROOT, Server, compound_body, verdict, yiju_check


def main():
    server = Server(port=18086)
    server.start()
    token = server.token("admin")
    status, offices = server.api("GET", "/street-offices", token)
    status, page = server.api("GET", "/compounds?management=professional&limit=50", token)
    compounds = page["items"]
    acknowledged, sent = [], set()
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        n = 0
        while not stop.is_set():
            n += 1
            code = f"BAK-{worker}-{n}"
            with lock:
                sent.add(code)
            if n % 2:
                status, _ = server.api("POST", "/compounds", token,
                                       compound_body(code, f"备份测试{worker}-{n}", offices[worker % len(offices)]["id"], worker, n))
            else:
                status, _ = server.api("POST", "/cases", token, {
                    "channel": "hotline", "externalNumber": code, "reporterName": "李先生", "reporterPhone": "139-0000-1111",
                    "compoundCode": compounds[(worker * 7 + n) % len(compounds)]["code"], "domain": "heating", "description": "暖气不热，室温偏低"})
            if status == 201:
                with lock:
                    acknowledged.append((time.monotonic(), code))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)
    copy = os.path.join(tempfile.mkdtemp(prefix="yiju-backup-"), "copy.sqlite")
    env = dict(os.environ, SQLITE_PATH=server.sqlite_path, LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    began = time.monotonic()
    result = subprocess.run([BINARY, "backup", "--output", copy], cwd=ROOT, env=env, capture_output=True, text=True)
    ended = time.monotonic()
    time.sleep(1)
    stop.set()
    for t in threads:
        t.join()
    server.stop()

    problems = []
    if result.returncode != 0:
        problems.append(f"yiju backup failed: {result.stdout}{result.stderr}")
    else:
        db = sqlite3.connect(copy)
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        in_copy = {row[0] for row in db.execute("SELECT code FROM compounds WHERE code LIKE 'BAK-%'")}
        in_copy |= {row[0] for row in db.execute("SELECT external_number FROM cases WHERE external_number LIKE 'BAK-%'")}
        db.close()
        before = [code for at, code in acknowledged if at < began]
        during = [code for at, code in acknowledged if began <= at <= ended]
        missing = [code for code in before if code not in in_copy]
        strangers = in_copy - sent
        checked, report = yiju_check(copy)
        print(f"backup: {len(before)} writes acknowledged before it began, {len(during)} while it ran, {len(acknowledged)} in all; "
              f"the copy holds {len(in_copy)}; integrity {integrity}; yiju check {'clean' if checked == 0 else 'FAILED'}; "
              f"{result.stdout.strip()}")
        if integrity != "ok":
            problems.append(f"PRAGMA integrity_check: {integrity}")
        if checked != 0:
            problems.append("yiju check on the copy failed:\n" + report)
        if missing:
            problems.append(f"acknowledged before the backup began but not in it: {missing[:10]}")
        if strangers:
            problems.append(f"in the copy but never sent: {sorted(strangers)[:10]}")
        if len(before) < 20:
            problems.append("too few writes before the backup to judge")
    return verdict(problems)


if __name__ == "__main__":
    sys.exit(main())
