"""Kill the server with SIGKILL at random points of a seeded loop of multi-step writes, then
check the whole database with `yiju check` and that nothing acknowledged was lost.

Each round starts `yiju serve` on the same SQLite file and runs writes that must be all or
nothing — adopting and retiring zoning plans, awarding tenders (open, bid, score, award),
confirming exits, inspections with their orders and deductions, and compound imports —
while a timer kills the server at a seeded random moment. With the server down the check:
  - runs `yiju check` (every invariant must hold);
  - finds every acknowledged write in place (an award's contract, an adoption's areas …);
  - finds every import batch whole or absent, never in part.
Between rounds, with the server down, the notice period of each plan under notice is moved
into the past (as if the days had gone by) and, now and then, the half-year review's exit
recommendation for a company is written, so the next round can adopt and confirm them.
Prints the counts. ROUNDS and SEED are fixed so a run is repeatable in what it tries;
`check_faults.py ROUNDS` runs a longer loop on a developer machine.
"""
import datetime
import random
import sqlite3
import sys
import threading
import time
import uuid

from yiju_server import Server, yiju_check

SEED = 21
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 12
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def today():
    return datetime.datetime.now(SHANGHAI).date()


class Loop:
    """The writes one round runs, and what the rounds were told was done."""

    def __init__(self, server, rng):
        self.server = server
        self.rng = rng
        self.acked = {"adopt": [], "retire": [], "award": [], "exit": [], "inspection": [], "import": []}
        self.batches = []  # (codes, acknowledged) of every import sent
        self.tenders = 0
        self.token = None
        self.errors = []

    def api(self, method, path, body=None, content_type="application/json"):
        return self.server.api(method, path, self.token, body, content_type)

    # The operations: each ends in one multi-step write, and records it once answered.

    def zoning(self):
        """Moves a street office's zoning one step on: draft and publish, adopt, or retire."""
        status, offices = self.api("GET", "/street-offices")
        office = self.rng.choice([o for o in offices if o["code"] != "HY"])
        status, versions = self.api("GET", f"/street-offices/{office['id']}/zoning-plans")
        adopted = [p for p in versions if p["status"] == "adopted"]
        notice = [p for p in versions if p["status"] == "notice"]
        if adopted:
            # Retiring ends the areas and assignments in one transaction; the office is then free.
            status, _ = self.api("POST", f"/zoning-plans/{adopted[0]['id']}/retire")
            if status == 200:
                self.acked["retire"].append(adopted[0]["id"])
        elif notice:
            # Refused (409) while the notice runs; the rounds move notices into the past.
            status, _ = self.api("POST", f"/zoning-plans/{notice[0]['id']}/adopt")
            if status == 200:
                self.acked["adopt"].append(notice[0]["id"])
        else:
            status, plan = self.api("POST", f"/street-offices/{office['id']}/zoning-plans", {"minFloorArea": 50000, "maxFloorArea": 200000})
            if status == 201:
                self.api("POST", f"/zoning-plans/{plan['id']}/publish", {"revision": plan["revision"], "noticeDays": 1})

    def award(self):
        status, lots = self.api("GET", "/tender-lots")
        open_lots = [lot for lot in lots if lot["status"] == "open"]
        if not open_lots:
            return
        lot = self.rng.choice(open_lots)
        self.tenders += 1
        # A start year of its own for every tender: the loop's contracts never overlap.
        start = f"{2031 + self.tenders}-01-01"
        deadline = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1.5)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        status, tender = self.api("POST", "/tenders", {"lotId": lot["id"], "bidDeadline": deadline, "startDate": start, "termYears": 1})
        if status != 201:
            return
        status, detail = self.api("GET", f"/tenders/{tender['id']}")
        eligible = [e for e in detail["eligibility"] if e["eligible"]][:2]
        for n, company in enumerate(eligible):
            self.api("POST", f"/tenders/{tender['id']}/bids", {
                "companyId": company["companyId"], "priceFen": 80 + n * 5, "stations": 2, "staff": 20 + n, "machines": 3,
                "servicePlan": "两个服务站，物业服务中心全天值守，垃圾日产日清，冬季机械化清雪。"})
        time.sleep(1.6)
        status, detail = self.api("GET", f"/tenders/{tender['id']}")
        for n, bid in enumerate(detail.get("bids", [])):
            self.api("POST", f"/tenders/{tender['id']}/bids/{bid['id']}/scores", {"score": 80 + n})
        status, contract = self.api("POST", f"/tenders/{tender['id']}/award")
        if status == 201:
            self.acked["award"].append(tender["id"])

    def confirm_exit(self):
        status, recommendations = self.api("GET", "/exit-recommendations")
        pending = [r for r in recommendations if r["status"] == "pending"]
        if not pending:
            return
        status, _ = self.api("POST", f"/exit-recommendations/{pending[0]['id']}/decision",
                             {"confirm": True, "reason": "半年考评末位且拒不整改，清退", "endDate": today().isoformat()})
        if status == 200:
            self.acked["exit"].append(pending[0]["id"])

    def inspect(self):
        status, templates = self.api("GET", "/inspection-templates")
        template = next(t for t in templates if t["active"] and t["category"] != "construction")
        status, page = self.api("GET", "/compounds?management=professional&limit=200")
        compound = self.rng.choice(page["items"])
        rectify = (today() + datetime.timedelta(days=7)).isoformat()
        items = []
        for _ in template["items"]:
            if self.rng.random() < 0.3:
                items.append({"passed": False, "finding": "现场检查发现问题，需整改", "rectifyBy": rectify})
            else:
                items.append({"passed": True})
        status, inspection = self.api("POST", "/inspections", {"templateId": template["id"], "compoundId": compound["id"], "items": items})
        if status == 201:
            self.acked["inspection"].append(inspection["inspection"]["id"])

    def import_batch(self):
        n = len(self.batches)
        codes = [f"FLT-{n:03d}-{i:02d}" for i in range(20)]
        lines = ["id,name,street,community,kind,address,lon,lat,floorArea,households,buildings,yearBuilt,renovation,management,company"]
        for i, code in enumerate(codes):
            lines.append(f"{code},故障测试{n}-{i}号院,{self.street},{self.community},estate,测试路{n}-{i}号,"
                         f"{126.60 + i * 0.0005},{45.73 + n * 0.0003},6000,80,2,1985,none,abandoned,")
        batch = [codes, False]
        self.batches.append(batch)
        status, _ = self.api("POST", "/compounds/import", ("\n".join(lines) + "\n").encode(), content_type="text/csv")
        if status == 200:
            batch[1] = True
            self.acked["import"].append(codes[0])

    def run(self, stop):
        self.token = self.server.token("admin")
        status, exported = self.server.api("GET", "/compounds?limit=1", self.token)
        first = exported["items"][0]
        self.street, self.community = first["streetOfficeName"], first["communityName"]
        operations = [self.zoning, self.award, self.confirm_exit, self.inspect, self.import_batch]
        while not stop.is_set():
            try:
                self.rng.choice(operations)()
            except OSError:
                return  # the server is gone mid-operation: nothing more is answered
            except Exception as error:  # a bug in the loop or an answer it did not expect
                self.errors.append(f"{type(error).__name__}: {error}")
                return


def between_rounds(path, rng, round_number):
    """With the server down: the notices run out, and now and then an exit is recommended."""
    db = sqlite3.connect(path)
    yesterday = (today() - datetime.timedelta(days=1)).isoformat()
    db.execute("UPDATE zoning_plans SET notice_start = ?, notice_end = ? WHERE status = 'notice'", (yesterday, yesterday))
    if round_number % 3 == 1:
        row = db.execute("""SELECT k.company_id FROM contracts k WHERE k.start_date <= ? AND k.end_date >= ? AND k.exit_id IS NULL
                            AND NOT EXISTS (SELECT 1 FROM exit_recommendations x WHERE x.company_id = k.company_id)
                            ORDER BY k.code LIMIT 1 OFFSET ?""", (today().isoformat(), today().isoformat(), rng.randrange(5))).fetchone()
        if row:
            db.execute("""INSERT INTO exit_recommendations (id, company_id, half_year_end, basis, status, created_at)
                          VALUES (?, ?, ?, '半年考评：信用等级 D', 'pending', ?)""",
                       (str(uuid.UUID(int=rng.getrandbits(128))).upper(), row[0],
                        (datetime.date(2026, 6, 30) - datetime.timedelta(days=round_number)).isoformat(), time.time()))
    db.commit()
    db.close()


def main():
    rng = random.Random(SEED)
    server = Server(port=18083)
    loop = Loop(server, random.Random(SEED + 1))
    kills = 0
    invariants = 0
    problems = []
    for round_number in range(ROUNDS):
        server.start()
        stop = threading.Event()
        worker = threading.Thread(target=loop.run, args=(stop,))
        worker.start()
        time.sleep(rng.uniform(0.3, 4.0))
        server.kill()
        kills += 1
        stop.set()
        worker.join()

        code, report = yiju_check(server.sqlite_path)
        invariants += report.count("\nok ") + report.startswith("ok ") + report.count("FAIL ")
        if code != 0:
            problems.append(f"round {round_number}: yiju check failed:\n{report}")
        db = sqlite3.connect(server.sqlite_path)
        for codes, acknowledged in loop.batches:
            present = db.execute(f"SELECT COUNT(*) FROM compounds WHERE code IN ({','.join('?' * len(codes))})", codes).fetchone()[0]
            if present not in (0, len(codes)) or (acknowledged and present != len(codes)):
                problems.append(f"round {round_number}: import {codes[0]}… has {present} of {len(codes)} compounds (acknowledged: {acknowledged})")
        lost = []
        lost += [t for t in loop.acked["award"] if db.execute("SELECT status FROM tenders WHERE UPPER(id) = ?", (t,)).fetchone() != ("awarded",)]
        lost += [p for p in loop.acked["adopt"] if db.execute("SELECT status FROM zoning_plans WHERE UPPER(id) = ?", (p,)).fetchone() not in (("adopted",), ("retired",))]
        lost += [p for p in loop.acked["retire"] if db.execute("SELECT status FROM zoning_plans WHERE UPPER(id) = ?", (p,)).fetchone() != ("retired",)]
        lost += [x for x in loop.acked["exit"] if db.execute("SELECT status FROM exit_recommendations WHERE UPPER(id) = ?", (x,)).fetchone() != ("confirmed",)]
        lost += [i for i in loop.acked["inspection"] if db.execute("SELECT COUNT(*) FROM inspections WHERE UPPER(id) = ?", (i,)).fetchone() != (1,)]
        db.close()
        if lost:
            problems.append(f"round {round_number}: acknowledged writes lost: {lost}")
        problems += [f"round {round_number}: the loop stopped: {e}" for e in loop.errors]
        loop.errors.clear()
        between_rounds(server.sqlite_path, rng, round_number)

    counts = ", ".join(f"{len(v)} {k}" for k, v in loop.acked.items())
    print(f"faults: {kills} kills survived over {ROUNDS} rounds; acknowledged {counts}; "
          f"{len(loop.batches)} import batches whole or absent; {invariants} invariant checks, {len(problems)} problems")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    # A loop that never got its multi-step writes through proves nothing.
    missing = [k for k in ("adopt", "award", "inspection", "import") if not loop.acked[k]]
    if missing:
        print(f"faults: no {', '.join(missing)} was acknowledged in {ROUNDS} rounds", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
