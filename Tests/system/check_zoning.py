"""Browser check of 大区划片: a street officer generates a plan for 七政 in the console,
drags compounds to neighbouring zones (the page is never reloaded), undoes one move,
publishes the plan for notice; then a resident with no login opens the public page, sees
the map, zones, lots and notice dates, and files an objection, which the officer sees.

Prints the round trip of a move in the console (pointer released → workspace redrawn),
as the page itself measures it, median over the moves made.
"""
import math
import os
import re
import statistics
import sys

from playwright.sync_api import expect, sync_playwright

from check_console import SHOTS, login
from yiju_server import Server, assert_no_csp_violations, guarded

MOVES = 7


def centre(page, locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_moves(page):
    """Drags compounds onto the nearest compounds of other zones until MOVES are accepted.
    The server refuses moves that would split a zone; those are tried and skipped."""
    workspace = page.locator("#workspace")
    round_trips, refused, moved = [], 0, set()
    for attempt in range(200):
        if len(round_trips) >= MOVES:
            break
        dots = page.locator("[data-zoning-map] circle.compound")
        points = dots.evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return {id: e.dataset.compound, zone: e.dataset.zone,"
            " x: r.x + r.width / 2, y: r.y + r.height / 2}; })")
        candidates = []
        for a in points:
            if a["id"] in moved:
                continue
            for b in points:
                if b["zone"] != a["zone"]:
                    candidates.append((math.dist((a["x"], a["y"]), (b["x"], b["y"])), a, b))
        candidates.sort(key=lambda c: c[0])
        if attempt >= len(candidates):
            break
        _, a, b = candidates[attempt]
        page.locator(f"[data-zoning-map] circle.compound[data-compound='{a['id']}']").scroll_into_view_if_needed()
        source = page.locator(f"[data-zoning-map] circle.compound[data-compound='{a['id']}']")
        target = page.locator(f"[data-zoning-map] circle.compound[data-compound='{b['id']}']")
        before = int(workspace.get_attribute("data-updates") or 0)
        sx, sy = centre(page, source)
        tx, ty = centre(page, target)
        page.mouse.move(sx, sy)
        page.mouse.down()
        page.mouse.move(tx, ty, steps=4)
        page.mouse.up()
        expect(workspace).to_have_attribute("data-updates", str(before + 1))
        if "error" in (page.locator(".live-message").get_attribute("class") or ""):
            refused += 1
            continue
        # Accepted: the compound now carries the target zone, and the page was not reloaded.
        expect(page.locator(f"circle.compound[data-compound='{a['id']}']")).to_have_attribute("data-zone", b["zone"])
        round_trips.append(float(workspace.get_attribute("data-roundtrip-ms")))
        moved.add(a["id"])
    assert len(round_trips) >= 3, f"only {len(round_trips)} moves accepted ({refused} refused)"
    return round_trips, refused


def main():
    server = Server(port=18085)
    server.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = guarded(browser.new_page(viewport={"width": 1366, "height": 1000}, locale="zh-CN"))
            base = server.base
            login(page, base, "qizheng")

            page.click("nav a[href='/console/zoning']")
            expect(page.locator("h1")).to_contain_text("七政街道")
            page.click("form.generate button[type=submit]")
            expect(page).to_have_url(re.compile(r"/console/zoning/plans/[0-9A-F-]+$"))
            plan_url = page.url
            zones = page.locator("table.zones tbody tr").count()
            assert zones >= 5, zones
            assert page.locator("[data-zoning-map] polygon.zone").count() == zones
            assert page.locator("[data-zoning-map] polygon.lot").count() == page.locator("table.lots tbody tr").count()
            page.evaluate("window.__marker = 'same page'")

            round_trips, refused = drag_moves(page)
            assert page.evaluate("window.__marker") == "same page", "the page reloaded"
            revision = int(page.locator("input[name=revision]").first.get_attribute("value"))
            assert revision == 1 + len(round_trips), revision
            page.screenshot(path=os.path.join(SHOTS, "zoning-plan.png"), full_page=True)

            # Undo the last move, live too.
            before = int(page.locator("#workspace").get_attribute("data-updates"))
            page.click("form[action$='/undo'] button")
            expect(page.locator("#workspace")).to_have_attribute("data-updates", str(before + 1))
            expect(page.locator("input[name=revision]").first).to_have_value(str(revision + 1))

            # Publish for 7 days.
            page.fill("form.publish input[name=noticeDays]", "7")
            page.click("form.publish button[type=submit]")
            expect(page.locator(".plan-head .status")).to_have_text("公示中")
            public_url = page.locator(".plan-head a[href^='/public/zoning/']").get_attribute("href")

            # A resident, no login.
            resident = guarded(browser.new_context(locale="zh-CN").new_page())
            resident.goto(base + "/public/zoning")
            resident.click(f"a[href='{public_url}']")
            expect(resident.locator("figure.map svg polygon.zone")).to_have_count(zones)
            expect(resident.locator("table.zones tbody tr")).to_have_count(zones)
            expect(resident.locator(".notice-dates")).to_contain_text("–")
            resident.screenshot(path=os.path.join(SHOTS, "zoning-public.png"), full_page=True)
            resident.fill("input[name=name]", "王五")
            resident.fill("input[name=phone]", "13900001111")
            resident.fill("textarea[name=body]", "我们院和北边的院子隔着铁路，不宜划在一个片区")
            resident.click("form.objection-form button[type=submit]")
            expect(resident.locator(".alert.ok")).to_be_visible()

            page.goto(plan_url)
            expect(page.locator("#objections")).to_contain_text("隔着铁路")
            page.goto(plan_url + "/notice")
            expect(page.locator("svg")).to_be_visible()
            page.screenshot(path=os.path.join(SHOTS, "zoning-notice.png"), full_page=True)
            browser.close()
            assert_no_csp_violations()
    finally:
        server.stop()
    print(f"zoning check: {len(round_trips)} moves by drag ({refused} refused as expected), console round trip per move "
          f"median {statistics.median(round_trips):.0f} ms (min {min(round_trips):.0f}, max {max(round_trips):.0f}); "
          f"undo, publish, public page and objection passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
