"""Browser check of companies, credit, inspections and selection on the demo district with
its history: the grades come out as the issue asks (most B, some A, a few C and D, the
blacklist short); a company file explains its score line by line beside its inspections,
cases and contracts; an inspector records an inspection on a phone with a photo of the
finding; a tender on an open lot of the adopted plan runs from notice to contract, with the
blacklisted companies shown as barred and why. Saves screenshots.
"""
import collections
import datetime
import os
import re
import struct
import sys
import tempfile
import time
import zlib

from playwright.sync_api import expect, sync_playwright

from check_console import SHOTS, login
from yiju_server import Server, assert_no_csp_violations, guarded

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def tiny_png(path):
    """A real 8×8 PNG, as a phone camera's file would be a real image."""
    raw = b"".join(b"\x00" + bytes([200, 80, 40]) * 8 for _ in range(8))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def main():
    os.makedirs(SHOTS, exist_ok=True)
    server = Server(port=18089)
    ready = server.start(timeout=600)
    print(f"credit check: fresh database with the demo district and its history ready in {ready:.1f} s")
    try:
        # The demo's grades, computed from its history like any district's.
        status, grades = server.api("GET", "/public/credit")
        assert status == 200, status
        counts = collections.Counter(row["grade"] for row in grades)
        blacklisted = [row["name"] for row in grades if row["blacklisted"]]
        print(f"credit check: grades {dict(sorted(counts.items()))}, blacklisted {len(blacklisted)}")
        assert counts.most_common(1)[0][0] == "B", counts
        assert counts["A"] >= 3 and counts["C"] + counts["D"] >= 2, counts
        assert 1 <= len(blacklisted) <= 3, blacklisted
        token = server.token("admin")
        status, tenders = server.api("GET", "/tenders", token)
        assert status == 200, status
        awarded = [t for t in tenders if t["status"] == "awarded"]
        assert len(awarded) >= 2, tenders
        worst = min(grades, key=lambda row: row["score"])

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = guarded(browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN"))
            base = server.base
            login(page, base, "admin")

            # The company file: score explained, inspections, cases, contracts.
            page.goto(base + f"/console/companies/{worst['companyId']}")
            expect(page.locator(".credit-summary")).to_contain_text(str(worst["score"]).rstrip("0").rstrip("."))
            expect(page.locator("table.credit-lines tbody tr").first).to_be_visible()
            assert page.locator("table.credit-lines tbody tr").count() >= 5
            expect(page.locator("#company-figures")).to_be_visible()
            expect(page.locator("#company-inspections tbody tr").first).to_be_visible()
            if worst["blacklisted"]:
                expect(page.locator("section.credit")).to_contain_text("已列入黑名单")
                expect(page.locator("section.credit")).to_contain_text("不可参加选聘")
            page.screenshot(path=os.path.join(SHOTS, "company-file.png"), full_page=True)
            page.goto(base + "/console/companies")
            expect(page.locator("a[href='/console/exits']")).to_be_visible()

            # An inspection on a phone: one failed item with a finding and a photo.
            phone = guarded(browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True).new_page())
            login(phone, base, "qizheng")
            phone.goto(base + "/console/inspections")
            phone.select_option("select[name=template]", label="清洁卫生")
            phone.locator("input[name=compound]").fill("QZ-0")
            compound = phone.locator("#compound-codes option").first.get_attribute("value")
            phone.locator("input[name=compound]").fill(compound)
            phone.click("#start-inspection button[type=submit]")
            expect(phone.locator("fieldset.check-item")).to_have_count(5)
            item = phone.locator("fieldset.check-item").nth(1)
            item.locator("input[value=fail]").check()
            expect(item.locator("textarea")).to_be_visible()
            item.locator("textarea").fill("3 号楼垃圾站满溢，周边散落")
            deadline = (datetime.datetime.now(SHANGHAI) + datetime.timedelta(days=5)).strftime("%Y-%m-%d")
            item.locator("input[type=date]").fill(deadline)
            photo = os.path.join(tempfile.mkdtemp(), "finding.png")
            tiny_png(photo)
            item.locator("input[type=file]").set_input_files(photo)
            phone.screenshot(path=os.path.join(SHOTS, "inspection-phone.png"), full_page=True)
            phone.click("#inspection-form .actions button")
            expect(phone).to_have_url(re.compile(r"/console/inspections/[0-9A-F-]{36}$"))
            expect(phone.locator("#items")).to_contain_text("3 号楼垃圾站满溢")
            expect(phone.locator("#items img")).to_have_count(1)
            expect(phone.locator("section.order")).to_contain_text(deadline)
            phone.screenshot(path=os.path.join(SHOTS, "inspection.png"), full_page=True)

            # A tender on an open lot: barred companies shown with the reason; bids until the
            # deadline a minute or two from now; the panel scores; the award makes the contract.
            page.goto(base + "/console/tenders")
            expect(page.locator("#tenders tbody tr")).to_have_count(len(tenders))
            # The form takes whole minutes: the next one that leaves half a minute for the bids.
            now = datetime.datetime.now(SHANGHAI)
            close = now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1 if now.second < 30 else 2)
            start = (close + datetime.timedelta(days=30)).strftime("%Y-%m-%d")
            page.locator("details.new-record summary").click()
            page.fill("#open-tender input[name=bidDeadline]", close.strftime("%Y-%m-%dT%H:%M"))
            page.fill("#open-tender input[name=startDate]", start)
            page.click("#open-tender button[type=submit]")
            expect(page).to_have_url(re.compile(r"/console/tenders/[0-9A-F-]{36}$"))
            tender_url = page.url
            barred = page.locator("#eligibility tbody tr", has_text="不可投标")
            assert barred.count() >= len(blacklisted)
            for name in blacklisted:
                expect(page.locator("#eligibility tbody tr", has_text=name)).to_contain_text("已列入黑名单")
            options = page.locator("#bid-form select[name=companyId] option")
            assert options.count() >= 2
            plans = ["每个小区设服务站并全天值守，垃圾日产日清，冬季机械化清雪，维修两小时响应。",
                     "片区服务中心统一调度，日常保洁和秩序维护，冬季清雪，报修当日响应。"]
            for n in range(2):
                page.select_option("#bid-form select[name=companyId]", index=n)
                page.fill("#bid-form input[name=priceFen]", str(80 - 10 * n))
                page.fill("#bid-form input[name=stations]", str(3 - n))
                page.fill("#bid-form input[name=staff]", str(30 - 5 * n))
                page.fill("#bid-form input[name=machines]", str(4 - n))
                page.fill("#bid-form textarea[name=servicePlan]", plans[n])
                page.click("#bid-form button[type=submit]")
                expect(page.locator("main")).to_contain_text("(" + str(n + 1) + ")")
            expect(page.locator("main")).to_contain_text("投标截止前标书密封")
            page.screenshot(path=os.path.join(SHOTS, "tender-open.png"), full_page=True)
            wait = (close - datetime.datetime.now(SHANGHAI)).total_seconds() + 2
            print(f"credit check: waiting {wait:.0f} s for the bid deadline")
            time.sleep(max(0, wait))
            page.goto(tender_url)
            expect(page.locator("#ranking tbody tr")).to_have_count(2)
            for score in ["88", "76"]:
                page.locator(".score-form input[name=score]").first.fill(score)
                page.locator(".score-form button").first.click()
                expect(page).to_have_url(tender_url)
            expect(page.locator(".score-form")).to_have_count(0)
            page.click("#award-form button")
            expect(page.locator("#contract")).to_be_visible()
            expect(page.locator("main h2")).to_contain_text("已定标")
            page.screenshot(path=os.path.join(SHOTS, "tender-awarded.png"), full_page=True)
            status, public = server.api("GET", "/public/tenders")
            assert status == 200 and sum(1 for t in public if t["tender"]["status"] == "awarded") == len(awarded) + 1, public
            browser.close()
            assert_no_csp_violations()
        print("credit check: passed")
    finally:
        server.stop()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 — print and fail the check
        print(f"credit check: FAILED: {error}", file=sys.stderr)
        raise
