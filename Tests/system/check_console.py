"""Browser check: a real Chromium logs in to the console, opens the registry pages and the
map, imports a file, and checks the demo data is on screen. Saves screenshots.

Uses Debian's Chromium through Playwright (`executable_path`), never a downloaded browser.
Prints the time from `yiju serve` to a healthy server on a fresh database.
"""
import os
import re
import sys
import tempfile

from playwright.sync_api import expect, sync_playwright

from yiju_server import ROOT, Server, assert_no_csp_violations, guarded

SHOTS = os.path.join(ROOT, "screenshots")


def login(page, base, username):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo-yiju-2026")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/console$"))


def main():
    os.makedirs(SHOTS, exist_ok=True)
    # The one check that starts from an empty file, as a newcomer's first `swift run yiju` does.
    server = Server(port=18082, fresh=True)
    ready = server.start()
    print(f"console check: fresh database to healthy server (migrate + demo district) in {ready:.1f} s")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = guarded(browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN"))
            base = server.base

            login(page, base, "admin")
            expect(page.locator(".card .num").first).to_have_text("600")
            expect(page.get_by_text("七政街道").first).to_be_visible()
            page.screenshot(path=os.path.join(SHOTS, "dashboard.png"), full_page=True)

            page.goto(base + "/console/compounds?management=abandoned")
            expect(page.locator("table.compounds tbody tr").first).to_be_visible()
            assert page.locator("table.compounds tbody tr").count() == 50
            assert all(t == "弃管" for t in page.locator("table.compounds .badge").all_inner_texts())
            page.screenshot(path=os.path.join(SHOTS, "compounds.png"), full_page=True)

            page.fill("input[name=q]", "QZ-01")
            page.click("form.filters button[type=submit]")
            expect(page.locator("#total-count")).not_to_have_text("0")
            page.locator("table.compounds tbody tr a").first.click()
            expect(page.locator("dl.facts").first).to_contain_text("七政街道")
            expect(page.locator("figure.map svg circle.compound").first).to_be_attached()
            page.screenshot(path=os.path.join(SHOTS, "compound.png"), full_page=True)

            page.goto(base + "/console/map")
            assert page.locator("svg circle.compound").count() == 600
            assert page.locator("svg polyline.barrier").count() == 5
            dot = page.locator("svg circle.compound").nth(10)
            dot.hover()
            expect(page.locator(".map-caption")).not_to_have_text("")
            page.screenshot(path=os.path.join(SHOTS, "map.png"), full_page=True)

            for path, text in [("/console/street-offices", "花园街道"), ("/console/companies", "物业服务有限公司"),
                               ("/console/departments", "供热")]:
                page.goto(base + path)
                expect(page.locator("main h2, table.grid td").filter(has_text=text).first).to_be_visible()
            page.goto(base + "/console/barriers")
            expect(page.locator("input[name=name][value='马家沟河']")).to_be_visible()
            page.screenshot(path=os.path.join(SHOTS, "companies.png"))

            # Import: a bad file names the row and changes nothing; a good one reports what it added.
            header = "id,name,street,community,kind,address,lon,lat,floorArea,households,buildings,yearBuilt,renovation,management,company\n"
            bad = os.path.join(tempfile.mkdtemp(), "bad.csv")
            with open(bad, "w", encoding="utf-8-sig") as f:
                f.write(header + "WEB-1,网页导入1号院,七政街道,,estate,,126.65,45.74,12000,170,3,1990,none,abandoned,\n")
                f.write("WEB-2,网页导入2号院,七政街道,,estate,,126.65,45.74,-12000,170,3,1990,none,abandoned,\n")
            page.goto(base + "/console/import")
            page.set_input_files("input[type=file]", bad)
            page.click("form.form-grid button[type=submit]")
            expect(page.locator("table.import-errors")).to_contain_text("floorArea")
            page.screenshot(path=os.path.join(SHOTS, "import-error.png"), full_page=True)
            good = os.path.join(tempfile.mkdtemp(), "good.csv")
            with open(good, "w", encoding="utf-8-sig") as f:
                f.write(header + "WEB-1,网页导入1号院,七政街道,,estate,,126.65,45.74,12000,170,3,1990,none,abandoned,\n")
            page.set_input_files("input[type=file]", good)
            page.click("form.form-grid button[type=submit]")
            expect(page.locator("#import-added")).to_have_text("1")

            # English switch.
            page.goto(base + "/console/compounds")
            page.click("a.lang")
            expect(page.locator("h1")).to_have_text("Compounds")
            page.screenshot(path=os.path.join(SHOTS, "compounds-en.png"))
            page.click("a.lang")

            # A street officer sees only their own street office.
            page.click("button.link")
            login(page, base, "qizheng")
            page.goto(base + "/console/compounds")
            expect(page.locator("#total-count")).to_have_text("85")
            page.goto(base + "/console/map")
            assert page.locator("svg circle.compound").count() == 85
            browser.close()
            assert_no_csp_violations()
    finally:
        server.stop()
    print("console check: passed (screenshots in screenshots/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
