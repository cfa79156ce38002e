"""Start and stop a real `yiju serve` process for the system checks."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# YIJU_BINARY runs the checks (or a benchmark) against another build, e.g. the release one.
BINARY = os.environ.get("YIJU_BINARY") or os.path.join(ROOT, ".build", "debug", "yiju")


def demo_template():
    """The path of a database with the demo district loaded, made once per test run.

    Loading the demo takes 15–20 s in a debug build; the checks that do not measure a first
    start begin from a copy of one loaded database instead. scripts/test names the file in
    YIJU_DEMO_TEMPLATE so that all its checks share it; run alone, a check makes its own."""
    path = os.environ.get("YIJU_DEMO_TEMPLATE") or os.path.join(tempfile.mkdtemp(prefix="yiju-demo-"), "demo.sqlite")
    if not os.path.exists(path):
        env = dict(os.environ, SQLITE_PATH=path + ".loading", LOG_LEVEL="warning", BCRYPT_COST="8")
        env.pop("DATABASE_URL", None)
        started = time.monotonic()
        subprocess.run([BINARY, "demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        # `yiju demo` closes the database, which checkpoints the WAL into the file itself.
        for suffix in ("-wal", "-shm"):
            if os.path.exists(path + ".loading" + suffix):
                shutil.move(path + ".loading" + suffix, path + suffix)
        os.replace(path + ".loading", path)
        print(f"demo template loaded in {time.monotonic() - started:.1f} s: {path}")
    return path


class Server:
    def __init__(self, port, sqlite_path=None, extra_env=None, fresh=False, log_path=None):
        """A server on its own SQLite file: a copy of the loaded demo (`demo_template`), or
        with `fresh` an empty file that `yiju serve` migrates and loads the demo into itself.
        The log is written beside the database unless `log_path` names another place."""
        self.port = port
        self.own_database = sqlite_path is None
        self.sqlite_path = sqlite_path or os.path.join(tempfile.mkdtemp(prefix="yiju-"), "yiju.sqlite")
        if self.own_database and not fresh:
            template = demo_template()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(template + suffix):
                    shutil.copyfile(template + suffix, self.sqlite_path + suffix)
        self.env = dict(os.environ, PORT=str(port), HOST="127.0.0.1", SQLITE_PATH=self.sqlite_path,
                        LOG_LEVEL="warning", BCRYPT_COST="8")
        self.env.pop("DATABASE_URL", None)
        self.env.update(extra_env or {})
        self.process = None
        self.log = open(log_path or self.sqlite_path + ".log", "ab")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=120):
        """Starts the server and returns the seconds until /healthz answered."""
        started = time.monotonic()
        self.process = subprocess.Popen([BINARY, "serve"], cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as res:
                    if res.status == 200:
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not become healthy in time")

    def kill(self):
        """SIGKILL: no shutdown hooks, no flushing; what survives is what was committed."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def remove_database(self):
        """Deletes the throw-away database this server was given (a benchmark's is gigabytes); keeps the log."""
        if self.own_database:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.remove(self.sqlite_path + suffix)
                except FileNotFoundError:
                    pass

    def api(self, method, path, token=None, body=None, content_type="application/json"):
        data = None
        headers = {}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        if token:
            headers["Authorization"] = "Bearer " + token
        request = urllib.request.Request(self.base + "/api/v1" + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as res:
                raw = res.read()
                return res.status, (json.loads(raw) if raw and res.headers.get_content_subtype() == "json" else raw)
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, (json.loads(raw) if raw else None)

    def token(self, username, password="demo-yiju-2026"):
        status, body = self.api("POST", "/auth/token", body={"username": username, "password": password})
        assert status == 201, (status, body)
        return body["token"]


def compound_body(code, name, office, worker, n):
    """A new compound for the checks' writers: a valid body, placed a little apart per writer
    and per write so that no two share a position."""
    return {"code": code, "name": name, "kind": "estate", "streetOfficeId": office,
            "location": [126.64 + worker * 0.001, 45.745 + n * 0.00001], "floorArea": 5000, "households": 70}


def yiju_check(sqlite_path):
    """`yiju check` on a SQLite file: (exit status, what it printed)."""
    env = dict(os.environ, SQLITE_PATH=sqlite_path, LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    result = subprocess.run([BINARY, "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


def cpu_seconds(pid):
    """User and system CPU time a process has used, from /proc: unlike wall time, what a
    busy machine does not change."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def verdict(problems):
    """A check's exit status: 0, or 1 with its problems on standard error."""
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


# What the browser refused under the content security policy, on any page a check opened.
CSP_VIOLATIONS = []


def guarded(page):
    """A page whose console is watched for CSP refusals (an inline script or handler, a
    resource from elsewhere): the server's policy must never block its own pages."""
    def note(message):
        if "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{page.url}: {message.text}")
    page.on("console", note)
    return page


def assert_no_csp_violations():
    assert not CSP_VIOLATIONS, "blocked by the content security policy:\n" + "\n".join(CSP_VIOLATIONS)
