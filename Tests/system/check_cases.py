"""Browser check of cases: the hotline operator takes a call in the intake form (the
compound found by typing part of its code), the case is routed and dispatched; the street
officer accepts and replies on the case page; the operator follows up; the officer closes
it; the ledger and the year-on-year figures show the demo's two years of cases.
"""
import io
import os
import re
import sys
import zipfile
from xml.etree import ElementTree

from playwright.sync_api import expect, sync_playwright

from check_console import SHOTS, login
from yiju_server import Server, assert_no_csp_violations, guarded


def step(page, kind, **fields):
    form = page.locator(f"form.step:has(input[name=kind][value={kind}])")
    for name, value in fields.items():
        target = form.locator(f"[name={name}]")
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    form.locator("button[type=submit]").first.click()


def main():
    server = Server(port=18087)
    ready = server.start(timeout=600)
    print(f"cases check: fresh database with the demo district and its case history ready in {ready:.1f} s")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            operator = guarded(browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page())
            base = server.base
            login(operator, base, "rexian")
            operator.goto(base + "/console/cases/new")
            operator.select_option("select[name=channel]", "hotline")
            operator.fill("input[name=externalNumber]", "12345-BROWSER-1")
            operator.fill("input[name=reporterName]", "赵女士")
            operator.fill("input[name=reporterPhone]", "139 0451 2233")
            box = operator.locator("input[name=compound]")
            box.type("QZ-00", delay=30)
            expect(operator.locator("#compound-suggestions option").first).to_be_attached()
            box.fill(operator.locator("#compound-suggestions option").first.get_attribute("value"))
            operator.select_option("select[name=domain]", "sanitation")
            operator.fill("textarea[name=description]", "楼下垃圾三天没清运")
            operator.click("form.case-intake button[type=submit]")
            expect(operator).to_have_url(re.compile(r"/console/cases/[0-9A-F-]+$"))
            case_url = operator.url
            expect(operator.locator("ol.timeline li")).to_have_count(2)
            expect(operator.locator("ul.routing")).to_contain_text("按分派表，环境卫生类诉求由小区管理方办理")
            operator.screenshot(path=os.path.join(SHOTS, "case.png"), full_page=True)

            officer = guarded(browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page())
            login(officer, base, "qizheng")
            officer.goto(case_url)
            step(officer, "accept")
            step(officer, "reply", text="已协调环卫清运")
            expect(officer.locator("ol.timeline li")).to_have_count(4)
            operator.goto(case_url)
            step(operator, "followUp", satisfaction="satisfied")
            officer.goto(case_url)
            step(officer, "close", text="销号")
            expect(officer.locator(".case-head .status")).to_have_text("已销号")

            officer.goto(base + "/console/cases?colour=red")
            assert int(officer.locator("#case-total").inner_text()) > 0
            officer.screenshot(path=os.path.join(SHOTS, "ledger.png"), full_page=False)
            # The .xlsx export opens as a workbook: six parts, one row per case plus the header, coloured rows.
            workbook = officer.request.get(base + "/console/cases/export.xlsx")
            assert workbook.ok, workbook.status
            with zipfile.ZipFile(io.BytesIO(workbook.body())) as z:
                assert len(z.namelist()) == 6 and z.testzip() is None, z.namelist()
                sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
                ns = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
                rows = sheet.findall(".//x:row", ns)
                assert len(rows) > 500, len(rows)
                assert {c.get("s") for c in rows[1].findall("x:c", ns)} <= {"1", "2", "3"}
                ElementTree.fromstring(z.read("xl/styles.xml"))
            operator.goto(base + "/console/cases/figures")
            total = int(operator.locator("#figures-total").inner_text())
            assert total > 5000, total
            expect(operator.locator("table.figures tbody tr").filter(has_text="花园街道").locator("td.down")).to_be_visible()
            operator.screenshot(path=os.path.join(SHOTS, "case-figures.png"), full_page=True)
            browser.close()
            assert_no_csp_violations()
    finally:
        server.stop()
    print("cases check: intake → accept → reply → follow-up → close, ledger and figures passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
