"""The API keeps the contract openapi.yaml states, tried by a tool nobody here wrote.

schemathesis (PyPI) reads the document the server serves and sends every operation requests
that meet it and requests that break it, as each role in turn and with no token, with all of
its checks: no 5xx, only declared statuses, responses that match their schemas, requests that
break the document refused and requests that meet it not refused for a reason it does not
state. The seed and the number of examples are fixed, so a run is repeatable; a longer run on
a developer machine (CONTRACT_EXAMPLES for every role):

    CONTRACT_EXAMPLES=100 CONTRACT_ROLES=admin python3 check_contract.py

Each role runs against its own copy of the demo district, so one role's writes (schemathesis
creates, changes and deletes what its examples say) never decide another's answers."""
import json
import os
import subprocess
import sys
import tempfile
import time

from yiju_server import Server

# The bureau, a street office, a property company, a department, a grid worker, the hotline:
# the demo's users of each role (docs/DESIGN.md §2), and no token at all.
ROLES = ["admin", "qizheng", "gongre", "zhengyi", "wangge", "rexian", None]
HERE = os.path.dirname(os.path.abspath(__file__))
# One worker: with two, the order requests reach the server in (and so what they find) would
# change from run to run, and a failure found once might not be found again.
# The bureau reaches every operation's handler, so it is tried hardest; the other roles are
# mostly refused early (403, 404) and need fewer examples to show that they always are.
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "10"))
OTHER_ROLE_EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "5"))
SEED = int(os.environ.get("CONTRACT_SEED", "1"))


def run(role, port):
    server = Server(port)
    server.start()
    try:
        token = server.token(role) if role else None
        report = tempfile.mkdtemp(prefix="yiju-contract-")
        command = ["schemathesis", "--config-file", os.path.join(HERE, "schemathesis.toml"), "run", server.base + "/openapi.yaml",
                   "--url", server.base + "/api/v1", "--checks", "all", "--seed", str(SEED),
                   "--max-examples", str(EXAMPLES if role == "admin" else OTHER_ROLE_EXAMPLES), "--workers", "1", "--no-color",
                   "--report", "ndjson", "--report-dir", report,
                   "--suppress-health-check", "all"]
        if token:
            # Revoking a token is tried without one (401) and by the Swift suites: with one,
            # the run would sooner or later revoke its own credential and go on as nobody.
            command += ["-H", f"Authorization: Bearer {token}", "--exclude-operation-id", "revokeToken"]
        started = time.monotonic()
        # In the report's folder: schemathesis keeps a cache of past failures where it runs,
        # and replays them first, so a run would depend on the runs before it.
        result = subprocess.run(command, capture_output=True, text=True, cwd=report)
        seconds = time.monotonic() - started
        return result, seconds, summary(report)
    finally:
        server.stop()
        server.remove_database()


def summary(report_dir):
    """Operations tried and the failures found, from schemathesis's ndjson report."""
    operations, cases, failures = set(), 0, []
    for name in os.listdir(report_dir):
        if not name.endswith(".ndjson"):
            continue
        with open(os.path.join(report_dir, name)) as lines:
            for line in lines:
                event = json.loads(line)
                finished = event.get("ScenarioFinished") or {}
                recorder = finished.get("recorder") or {}
                label = recorder.get("label") or ""
                if label.split(" ")[0] in ("GET", "POST", "PUT", "PATCH", "DELETE"):  # not the stateful phase's sequences
                    operations.add(label)
                cases += len(recorder.get("cases") or {})
                for check_list in (recorder.get("checks") or {}).values():
                    for check in check_list:
                        failure = (check.get("failure_info") or {}).get("failure") or {}
                        if check.get("status", "").lower() == "failure":
                            failures.append((failure.get("operation") or recorder.get("label"), failure.get("code") or check.get("name"),
                                             failure.get("title", "") + ": " + failure.get("message", "").replace("\n", " ")[:300]))
    return operations, cases, sorted(set(failures), key=str)


def main():
    roles = [None if r == "none" else r for r in os.environ.get("CONTRACT_ROLES", "").split(",") if r] or ROLES
    problems = 0
    total_operations = 0
    for index, role in enumerate(roles):
        result, seconds, (operations, cases, failures) = run(role, 18400 + index)
        name = role or "no token"
        total_operations += len(operations)
        print(f"{name}: {len(operations)} operations, {cases} requests, {len(failures)} failures, {seconds:.0f} s")
        for label, check, title in failures:
            print(f"  {label}: {check}: {title}")
        if result.returncode != 0:
            problems += 1
            if not failures:
                print(result.stdout[-4000:], result.stderr[-4000:])
    print(f"contract: {len(roles)} roles, {total_operations} operation × role runs, {problems} roles with failures")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
