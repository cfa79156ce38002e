"""Fuzz the console's form posts: no 5xx, no write without the session's CSRF token, and a
database that passes `yiju check` afterwards.

schemathesis tries what openapi.yaml describes; the console's forms are described by their
pages. This check logs in as the bureau and as a street officer, walks the console from its
home page (every link under /console, files and exports aside), collects every form that
posts, and sends each one

- without its CSRF token, and with a wrong one: refused with 403 and the audit log unchanged;
- as the page filled it, then with each field in turn missing and three of: empty, 5,000
  characters long, text where a number belongs, a negative and a huge number, a NUL, bytes
  that are not UTF-8, and markup (all of them with FORMS_ALL=1): never a 5xx.

Afterwards the server's SQLite file must pass `yiju check` (no half-made write survives a
refused one). A seeded shuffle picks the order; the counts are printed.
"""
import html.parser
import os
import http.cookiejar
import random
import re
import sqlite3
import sys
import urllib.error
import urllib.parse
import urllib.request

from yiju_server import Server, verdict, yiju_check

SEED = 7
PAGES = 250
# Field values that break a form's expectations, as raw bytes of the urlencoded body.
VARIANTS = [b"", b"x" * 5000, b"abc", b"-1", b"99999999999999999999", b"%00", b"%FF%FE", b"%3Cscript%3Ealert(1)%3C%2Fscript%3E"]
# Each field gets this many of the variants, picked by the seeded generator, so that a CI run
# stays within a couple of minutes while every variant still meets every kind of field;
# FORMS_ALL=1 sends every variant to every field (about 7,000 posts, five minutes).
PER_FIELD = 3
ALL = os.environ.get("FORMS_ALL") == "1"
# Not posted: leaving or ending the session, and a password reset (the next login would fail).
SKIPPED = re.compile(r"logout|password")
# Links to files, not pages.
FILES = re.compile(r"\.(csv|xlsx|svg|pdf|png|jpe?g|webp|geojson|json)(\?|$)|/export|/download|/photos/|/documents/|/notice|/print")
UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


class StopFuzzing(Exception):
    pass


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Page(html.parser.HTMLParser):
    """The links and the posting forms of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self.form = [], [], None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self.form = {"action": a.get("action") or "", "enctype": a.get("enctype") or "", "fields": []}
            self.forms.append(self.form)
        elif self.form is not None and tag in ("input", "textarea") and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image"):
                self.form["fields"].append([a["name"], a.get("value") or ""])
        elif self.form is not None and tag == "select" and a.get("name"):
            self.select = [a["name"], None]
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select is not None and self.select[1] is None:
            self.select[1] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            if self.select is not None and self.select[1] is None:
                self.select[1] = ""
            self.select = None


class Browser:
    def __init__(self, server, username):
        self.server, self.username = server, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.login()

    def request(self, path, data=None):
        request = urllib.request.Request(self.server.base + path, data=data, method="POST" if data is not None else "GET")
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(request, timeout=60) as res:
                return res.status, res.read().decode("utf-8", "replace"), res.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.headers
        except OSError as error:
            # No answer at all: the server dropped the connection, or is gone.
            return 599, f"no answer: {error}", {}

    def login(self):
        _, body, _ = self.request("/login")
        csrf = re.search(r'name="_csrf" value="([^"]*)"', body).group(1)
        form = urllib.parse.urlencode({"username": self.username, "password": "demo-yiju-2026", "_csrf": csrf, "next": "/console"})
        status, _, _ = self.request("/login", form.encode())
        assert status == 303, f"login as {self.username}: {status}"

    def csrf(self):
        _, body, _ = self.request("/console")
        match = re.search(r'name="_csrf" value="([^"]*)"', body)
        return match.group(1) if match else ""


def crawl(browser):
    """Every console page reachable from the home page and the forms on them, one form per
    action (ids aside) and set of fields."""
    seen, queue, forms = set(), ["/console"], {}
    # The shapes of the paths walked or waiting (ids aside), kept as they grow.
    shapes = {"/console"}
    while queue and len(seen) < PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, body, headers = browser.request(path)
        if status != 200 or "text/html" not in (headers.get("Content-Type") or ""):
            continue
        page = Page()
        page.feed(body)
        for href in page.links:
            target = urllib.parse.urljoin(path, href.split("#")[0])
            if target.startswith("/console") and not FILES.search(target) and not SKIPPED.search(target):
                # One page per shape of path, ids aside: the 600th compound's page is the first's.
                shape = UUID.sub("{id}", target.split("?")[0])
                if shape not in shapes:
                    shapes.add(shape)
                    queue.append(target)
        for form in page.forms:
            action = urllib.parse.urljoin(path, form["action"] or path)
            if "multipart" in form["enctype"] or SKIPPED.search(action) or not action.startswith(("/console", "/logout")):
                continue
            key = (UUID.sub("{id}", action.split("?")[0]), tuple(sorted(name for name, _ in form["fields"])))
            forms.setdefault(key, (action, form["fields"]))
    return len(seen), list(forms.values())


def encode(fields):
    return b"&".join(urllib.parse.quote_plus(name).encode() + b"=" + (value if isinstance(value, bytes) else urllib.parse.quote_plus(value).encode())
                     for name, value in fields)


def main():
    server = Server(port=18083)
    server.start()
    problems, statuses, posts = [], {}, 0
    try:
        def audit_total():
            # From the file, not the API: a form may revoke any token the check would hold.
            with sqlite3.connect(server.sqlite_path) as db:
                return db.execute("SELECT COUNT(*) FROM audit_entries").fetchone()[0]

        rng = random.Random(SEED)
        for username in ("admin", "qizheng"):
            browser = Browser(server, username)
            pages, forms = crawl(browser)
            rng.shuffle(forms)
            print(f"forms: as {username}, {pages} pages walked, {len(forms)} forms that post")
            for action, fields in forms:
                csrf = browser.csrf()
                plain = [(name, value) for name, value in fields if name != "_csrf"]
                # Without the session's token, and with a wrong one: refused, nothing written.
                for forged in ([], [("_csrf", "forged")]):
                    before = audit_total()
                    status, body, _ = browser.request(action, encode(plain + forged))
                    posts += 1
                    statuses[status] = statuses.get(status, 0) + 1
                    if status != 403:
                        problems.append(f"{action} without its CSRF token answered {status}, not 403")
                    if audit_total() != before:
                        problems.append(f"{action} without its CSRF token wrote to the audit log")
                cases = [list(fields)]
                for index, (name, _) in enumerate(plain):
                    cases.append([f for f in plain if f[0] != name] + [("_csrf", csrf)])
                    for variant in (VARIANTS if ALL else rng.sample(VARIANTS, PER_FIELD)):
                        mutated = list(plain)
                        mutated[index] = (name, variant)
                        cases.append(mutated + [("_csrf", csrf)])
                for case in cases:
                    # A session the form ended (a token revoked, a role changed) is started again.
                    case = [(n, csrf) if n == "_csrf" else (n, v) for n, v in case]
                    status, body, _ = browser.request(action, encode(case))
                    posts += 1
                    statuses[status] = statuses.get(status, 0) + 1
                    if status >= 500:
                        sent = {n: (v[:40] if isinstance(v, (str, bytes)) else v) for n, v in case if n != "_csrf"}
                        problems.append(f"{action} answered {status} to {sent}: {body[:200]}")
                        if server.process.poll() is not None:
                            problems.append(f"the server stopped (exit {server.process.returncode}); see {server.log.name}")
                            raise StopFuzzing
                    if status == 403 and "csrf" in body.lower():
                        browser.login()
                        csrf = browser.csrf()
    except StopFuzzing:
        pass
    finally:
        print(f"forms: {posts} posts, answered " + ", ".join(f"{code} ×{n}" for code, n in sorted(statuses.items())))
        server.stop()
    code, report = yiju_check(server.sqlite_path)
    print(f"forms: yiju check after the fuzzing: exit {code}")
    if code != 0:
        problems.append(f"yiju check failed after the fuzzing (the database is kept: {server.sqlite_path}):\n" + report[-2000:])
    else:
        server.remove_database()
    sys.exit(verdict(problems[:40]))


if __name__ == "__main__":
    main()
