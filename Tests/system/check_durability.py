"""Kill the server mid-load with SIGKILL and check that every acknowledged write survived.

Four client threads create compounds through the API as fast as the server answers; after
enough acknowledgements the server is killed without warning, restarted on the same SQLite
file, and every compound whose creation was answered 201 must be there. Prints the counts.
"""
import sys
import threading
import time

from yiju_server import Server, compound_body


def main():
    server = Server(port=18081)
    server.start()
    token = server.token("admin")
    status, offices = server.api("GET", "/street-offices", token)
    assert status == 200
    office = offices[0]["id"]

    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        n = 0
        while not stop.is_set():
            n += 1
            code = f"DUR-{worker}-{n}"
            body = compound_body(code, f"耐久测试{worker}-{n}", office, worker, n)
            try:
                status, _ = server.api("POST", "/compounds", token, body)
            except OSError:
                return  # the server is gone: this write was never acknowledged
            if status == 201:
                with lock:
                    acknowledged.append(code)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    acked = list(acknowledged)

    server.start()
    token = server.token("admin")
    status, page = server.api("GET", "/compounds?q=DUR-&limit=1000", token)
    assert status == 200
    present = {c["code"] for c in page["items"]}
    lost = [code for code in acked if code not in present]
    server.stop()
    print(f"durability: {len(acked)} writes acknowledged before SIGKILL, {len(present)} present after restart, {len(lost)} lost")
    if len(acked) < 50:
        print("durability: too few writes acknowledged to judge", file=sys.stderr)
        return 1
    if lost:
        print("durability: LOST " + ", ".join(lost[:20]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
