"""Restart PostgreSQL under load: requests fail fast with 503, the server reconnects by itself,
and every acknowledged write is there.

Four client threads create compounds through the API as fast as the server answers; after
enough acknowledgements PostgreSQL is restarted (`pg_ctlcluster … restart`, what an operator
or a failover does). While it is down every request must be answered within a few seconds,
with 503 and a message, never 500 and never a hang; once it is back the same server process,
never restarted, must take writes again within seconds; and every compound answered 201 must
be in the database. Needs root and Debian's PostgreSQL cluster (scripts/test starts it)."""
import subprocess
import sys
import threading
import time

from yiju_server import Server, compound_body, verdict

DATABASE = "yiju_restart"
URL = f"postgres://yiju_test:yiju_test@127.0.0.1:5432/{DATABASE}"
# A request during the outage must come back within this long (the pool's connect timeout
# is what bounds it; a client's own timeout is usually 30 s or more).
FAST = 5.0
# After PostgreSQL is back, the server must write again within this long.
RECOVERY = 15.0


def cluster():
    version, name = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout.split()[:2]
    return version, name


def psql(sql, database="postgres"):
    return subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-qAt", "-d", database, "-c", sql],
                          capture_output=True, text=True, check=True).stdout


def main():
    version, name = cluster()
    subprocess.run(["runuser", "-u", "postgres", "--", "dropdb", "--if-exists", DATABASE], check=True)
    subprocess.run(["runuser", "-u", "postgres", "--", "createdb", "-O", "yiju_test", DATABASE], check=True)
    server = Server(port=18082, extra_env={"DATABASE_URL": URL}, fresh=True)
    problems = []
    try:
        server.start(timeout=300)
        token = server.token("admin")
        status, offices = server.api("GET", "/street-offices", token)
        assert status == 200, status
        office = offices[0]["id"]

        acknowledged, answers, slow = [], [], []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(worker):
            n = 0
            while not stop.is_set():
                n += 1
                code = f"PGR-{worker}-{n}"
                body = compound_body(code, f"重启测试{worker}-{n}", office, worker, n)
                started = time.monotonic()
                try:
                    status, reply = server.api("POST", "/compounds", token, body)
                except OSError as error:
                    status, reply = None, str(error)
                seconds = time.monotonic() - started
                with lock:
                    answers.append((time.monotonic(), status, reply if status != 201 else None))
                    if status == 201:
                        acknowledged.append(code)
                    if seconds > FAST:
                        slow.append((status, round(seconds, 1)))
                if status != 201:
                    time.sleep(0.05)

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        while len(acknowledged) < 100:
            time.sleep(0.05)
        restarted_at = time.monotonic()
        subprocess.run(["pg_ctlcluster", version, name, "restart", "-m", "fast"], check=True)
        back_at = time.monotonic()
        # Let the writers run on until the server has written again, or give up.
        recovered_at = None
        while time.monotonic() - back_at < RECOVERY + 10:
            with lock:
                recovered_at = next((at for at, status, _ in answers if at > back_at and status == 201), None)
            if recovered_at:
                break
            time.sleep(0.1)
        time.sleep(1)
        stop.set()
        for t in threads:
            t.join()

        during = [(status, reply) for at, status, reply in answers if restarted_at <= at and status != 201]
        statuses = sorted({str(status) for status, _ in during})
        print(f"pg restart: {len(acknowledged)} compounds acknowledged; PostgreSQL down for {back_at - restarted_at:.1f} s; "
              f"{len(during)} requests refused meanwhile, answered {', '.join(statuses) or 'none'}")
        for status, reply in during:
            if status != 503:
                problems.append(f"a request during the restart was answered {status}, not 503: {str(reply)[:200]}")
                break
        unclear = [reply for status, reply in during if status == 503 and not (isinstance(reply, dict) and reply.get("error", {}).get("message"))]
        if unclear:
            problems.append(f"a 503 without a message: {unclear[0]}")
        if slow:
            problems.append(f"{len(slow)} requests took longer than {FAST:.0f} s: {slow[:5]}")
        if recovered_at is None:
            problems.append(f"the server did not write again within {RECOVERY + 10:.0f} s of PostgreSQL being back")
        else:
            print(f"pg restart: the server wrote again {recovered_at - back_at:.1f} s after PostgreSQL was back, without a restart of its own")
            if recovered_at - back_at > RECOVERY:
                problems.append(f"the server took {recovered_at - back_at:.1f} s to write again (more than {RECOVERY:.0f} s)")
        stored = set(psql("SELECT code FROM compounds WHERE code LIKE 'PGR-%'", DATABASE).split())
        lost = [code for code in acknowledged if code not in stored]
        print(f"pg restart: {len(acknowledged) - len(lost)} of {len(acknowledged)} acknowledged compounds are in the database")
        if lost:
            problems.append(f"{len(lost)} acknowledged compounds are missing: {lost[:5]}")
    finally:
        server.stop()
        subprocess.run(["runuser", "-u", "postgres", "--", "dropdb", "--if-exists", DATABASE])
    sys.exit(verdict(problems))


if __name__ == "__main__":
    main()
