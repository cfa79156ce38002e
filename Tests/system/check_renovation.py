"""Browser check of renovation (旧改) on the demo district: a street officer records a
compound's facilities, sees its gaps against the complete-community standard, plans a
project from them, engages the builder (whose lead then sees the project, read only, on a phone,
and keeps the site diary there once the works start, a loud reading shown as a finding; the
officer's 文明施工 site inspection sends its order to the builder, and a burst pipe reported at the
reception room is routed to the builder),
and — on a phone — runs the residents' consultation from the project's
consultation page: a household visit, a deliberation meeting, rounds 1 and 2 with each
opinion answered, the final plan's public notice; approval is refused until then and
granted after. The works start, acceptance is requested, the completion check is signed
and the households' survey is taken on a phone, household by household, with its
arithmetic shown, and by one household itself with its one-time code; it passes and the project completes, which the registry and the
compound's inventory show; the approval is published among the five disclosures (五公开);
the public page, without login, shows what each round published, the disclosures and the
survey's result but not what any resident said. Saves screenshots.
"""
import datetime
import os
import re
import sys

from playwright.sync_api import expect, sync_playwright

from check_console import SHOTS, login
from yiju_server import Server, assert_no_csp_violations, guarded

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# The smallest file a PDF reader opens: what the server checks is the header.
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def entry_form(page, kind, day):
    """Opens the consultation page's form for `kind`, dates it, and returns it."""
    form = page.locator(f"form:has(input[name=kind][value={kind}])")
    details = page.locator(f"details:has(input[name=kind][value={kind}])")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form.locator("input[name=day]").fill(day.isoformat())
    return form


def phone_page(browser):
    """A phone-sized touch screen, as the grid workers, builders and officers in the field use."""
    return guarded(browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True))


def fill_visit(page, day, building, unit, room, text):
    """Fills a household visit (一访) on the open consultation page and returns its form, to submit."""
    visit = entry_form(page, "visit", day)
    visit.locator("input[name=building]").fill(building)
    visit.locator("input[name=unit]").fill(unit)
    visit.locator("input[name=room]").fill(room)
    visit.locator("textarea[name=text]").fill(text)
    return visit


def main():
    os.makedirs(SHOTS, exist_ok=True)
    server = Server(port=18091)
    ready = server.start(timeout=600)
    print(f"renovation check: fresh database with the demo district ready in {ready:.1f} s")
    today = datetime.datetime.now(SHANGHAI).date()
    # The consultation happened over the last fortnight and is typed in afterwards, with its dates.
    held = today - datetime.timedelta(days=12)
    posted = today - datetime.timedelta(days=9)
    try:
        token = server.token("qizheng")
        # A compound no project has touched: the demo's history renovated others since 2020.
        status, compounds = server.api("GET", "/compounds?limit=5&renovation=none", token)
        assert status == 200, (status, compounds)
        items = compounds["items"] if isinstance(compounds, dict) else compounds
        compound = items[0]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = guarded(browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN"))
            login(page, server.base, "qizheng")

            # 缺什么、补什么: the inventory, then the gaps against the standard.
            page.goto(server.base + f"/console/compounds/{compound['id']}")
            page.click("text=设施清单")
            page.fill("input[name='quantity.parkingSpaces']", "2")
            page.fill("input[name='quantity.waterDrainage']", "120")
            page.select_option("select[name='condition.waterDrainage']", "worn")
            page.click("#facilities button[type=submit]")
            gaps = page.locator("#gaps")
            expect(gaps).to_contain_text("停车位")
            expect(gaps).to_contain_text("老化")
            page.screenshot(path=os.path.join(SHOTS, "renovation-gaps.png"), full_page=True)

            # A project planned from the gaps.
            page.click("text=按缺项新建改造项目")
            form = page.locator("#new-project")
            form.locator("input[name=code]").fill("QZ-2026-21")
            form.locator("input[name=name]").fill("七政街老旧小区改造（一期）")
            form.locator("input[name=year]").fill("2026")
            form.locator("input[name=budget]").fill("1000000")
            # The project counts six households, so the survey below is six answers, not two hundred.
            form.locator("input[name=households]").fill("6")
            form.locator("input[name='fund.higherSubsidy']").fill("600000")
            form.locator("input[name='fund.districtBudget']").fill("400000")
            form.locator("button[type=submit]").click()
            expect(page.locator("#scope")).to_contain_text("停车位")
            page.click("#steps button:has-text('开始征求意见')")
            approve = page.locator("#steps form:has(input[value=approve]) button")
            expect(approve).to_be_disabled()
            expect(page.locator("#steps")).to_contain_text("一访")
            project_url = page.url

            # The officer engages the builder (参建单位); its lead then sees the project on a phone, read only.
            page.click("details:has(#engagement-form) summary")
            engagement = page.locator("#engagement-form")
            engagement.locator("select[name='company.construction']").select_option(label="哈尔滨宜建建筑工程有限公司")
            engagement.locator("input[name='leadName.construction']").fill("王建国")
            engagement.locator("input[name='leadPhone.construction']").fill("138 0451 2233")
            engagement.locator("button[type=submit]").click()
            expect(page.locator("#engagement-list")).to_contain_text("王建国")
            builder = phone_page(browser)
            login(builder, server.base, "shigong")
            builder.goto(project_url)
            expect(builder.locator("#engagement-list")).to_contain_text("13804512233")
            assert builder.locator("#steps").count() == 0 and builder.locator("#engagement-form").count() == 0, "the contractor may change the project"
            builder.screenshot(path=os.path.join(SHOTS, "renovation-contractor-phone.png"), full_page=True)
            builder.close()

            # The residents decide, recorded on a phone.
            phone = phone_page(browser)
            login(phone, server.base, "qizheng")
            phone.goto(project_url)
            phone.click("#consultation-link")
            visit = fill_visit(phone, held, "1", "2", "301", "希望加装电梯，楼道灯常坏")
            visit.locator("input[name='item.elevator']").check()
            visit.locator("button[type=submit]").click()
            expect(phone.locator("#visits")).to_contain_text("希望加装电梯")

            meeting = entry_form(phone, "meeting", held)
            meeting.locator("input[name=attendees]").fill("23")
            meeting.locator("textarea[name=text]").fill("居民议事会讨论改造方案")
            meeting.locator("textarea[name=decisions]").fill("同意增设停车位、更换供排水管网")
            meeting.locator("button[type=submit]").click()
            expect(phone.locator("#meetings")).to_contain_text("23")

            for number, said in [(1, "停车难，希望增设车位"), (2, "电梯费用分摊过高")]:
                opinion = entry_form(phone, "opinion", held)
                opinion.locator("select[name=round]").select_option(str(number))
                opinion.locator("select[name=channel]").select_option("meeting")
                opinion.locator("input[name=person]").fill("3号楼 张阿姨")
                opinion.locator("textarea[name=text]").fill(said)
                opinion.locator("button[type=submit]").click()
                expect(phone.locator(f"#round-{number}")).to_contain_text("待答复")
                step = entry_form(phone, "round", held)
                step.locator("select[name=round]").select_option(str(number))
                step.locator("select[name=step]").select_option("collect")
                step.locator("textarea[name=text]").fill(f"第{number}轮收集意见 1 条")
                step.locator("button[type=submit]").click()
                # Publishing before the opinion is answered is refused, naming why.
                step = entry_form(phone, "round", held)
                step.locator("select[name=round]").select_option(str(number))
                step.locator("select[name=step]").select_option("publish")
                step.locator("textarea[name=text]").fill("公示方案")
                step.locator("button[type=submit]").click()
                expect(phone.locator(".alert.error")).to_contain_text("have no answer yet")
                answer = entry_form(phone, "answer", held)
                answer.locator("select[name=outcome]").select_option("declined")
                answer.locator("textarea[name=text]").fill("按上级文件执行，已逐户解释")
                answer.locator("button[type=submit]").click()
                step = entry_form(phone, "round", held)
                step.locator("select[name=round]").select_option(str(number))
                step.locator("select[name=step]").select_option("publish")
                step.locator("textarea[name=text]").fill("方案在公示栏和微信群公示")
                step.locator("button[type=submit]").click()
                expect(phone.locator(f"#round-{number}")).to_contain_text("已公示")

            # The notice went up on the board nine days ago; its seven days have passed.
            notice = entry_form(phone, "notice", posted)
            notice.locator("textarea[name=text]").fill("最终方案在小区公示栏公示 7 天")
            notice.locator("button[type=submit]").click()
            expect(phone.locator("#notices")).to_contain_text("公示栏")
            expect(phone.locator("#summary")).to_contain_text("1 / ")
            phone.screenshot(path=os.path.join(SHOTS, "renovation-consultation-phone.png"), full_page=True)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, f"the consultation page scrolls sideways on a phone: {width}px"

            page.goto(project_url)
            expect(approve).to_be_enabled()
            approve.click()
            expect(page.locator(".plan-head")).to_contain_text("已立项")
            page.click("#steps button:has-text('开工')")
            expect(page.locator(".plan-head")).to_contain_text("施工中")

            # The five disclosures: the approval goes up as a PDF, a photo of a text file is refused.
            page.click("#documents-link")
            expect(page.locator("#disclosure-approvals")).to_contain_text("尚未公开")
            form = page.locator("#document-form")
            form.locator("select[name=kind]").select_option("approvals")
            form.locator("input[name=title]").fill("改造方案批复")
            form.locator("input[name=file]").set_input_files(files=[{"name": "note.txt", "mimeType": "text/plain", "buffer": b"not a pdf"}])
            form.locator("button[type=submit]").click()
            expect(page.locator(".alert.error")).to_be_visible()
            form = page.locator("#document-form")
            expect(form.locator("input[name=title]")).to_have_value("改造方案批复")
            form.locator("input[name=file]").set_input_files(files=[{"name": "批复.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}])
            form.locator("button[type=submit]").click()
            expect(page.locator("#disclosure-approvals")).to_contain_text("改造方案批复")
            page.screenshot(path=os.path.join(SHOTS, "renovation-documents.png"), full_page=True)
            page.goto(project_url)

            # The builder keeps the site diary on its phone: a reading over the day's limit is a finding.
            builder = phone_page(browser)
            login(builder, server.base, "shigong")
            builder.goto(project_url)
            builder.click("#diary-link")
            diary = builder.locator("#diary-form")
            diary.locator("input[name=weather]").fill("晴")
            diary.locator("input[name=workers]").fill("18")
            diary.locator("input[name=machines]").fill("吊篮、卷扬机")
            diary.locator("textarea[name=workDone]").fill("3号楼外墙保温施工")
            diary.locator("textarea[name=noise]").fill("09:30 74 3号楼东侧\n15:00 63")
            diary.locator("button[type=submit]").click()
            day = builder.locator("section.diary-day").first
            expect(day).to_contain_text("噪声超标")
            expect(day.locator("ul.readings li.over")).to_have_count(1)
            png = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes(64)
            day.locator("input[name=photo]").set_input_files(files=[{"name": "site.png", "mimeType": "image/png", "buffer": png}])
            day.locator(".photo-form button[type=submit]").click()
            expect(builder.locator("section.diary-day").first.locator(".photos img")).to_have_count(1)
            builder.screenshot(path=os.path.join(SHOTS, "renovation-diary-phone.png"), full_page=True)
            width = builder.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, f"the site diary scrolls sideways on a phone: {width}px"
            # A burst pipe reported at the reception room (民生接待室) goes straight to the builder's lead.
            status, burst = server.api("POST", "/cases", token, {
                "channel": "reception", "reporterName": "李大爷", "reporterPhone": "13900001111", "compoundCode": compound["code"],
                "domain": "water", "description": "改造施工挖断自来水管，整栋楼停水"})
            assert status == 201 and burst["handlerName"] == "哈尔滨宜建建筑工程有限公司", (status, burst)
            builder.goto(server.base + f"/console/cases/{burst['id']}")
            expect(builder.locator("main")).to_contain_text("即接即办")
            builder.close()
            page.click("#diary-link")
            expect(page.locator("#diary-summary")).to_contain_text("1")
            assert page.locator("#diary-form").count() == 0, "the street officer may write the builder's diary"
            # The officer inspects the site (文明施工) from there: the order goes to the builder.
            page.click("#inspect-site")
            expect(page.locator("#site-builder")).to_contain_text("哈尔滨宜建建筑工程有限公司")
            page.check("#item-2 input[value=fail]")
            page.fill("#item-2 textarea", "3号楼东侧土方未苫盖")
            page.fill("#item-2 input[type=date]", (today + datetime.timedelta(days=3)).isoformat())
            page.click("#inspection-form button[type=submit]")
            expect(page.locator("main")).to_contain_text("哈尔滨宜建建筑工程有限公司")
            expect(page.locator("main")).to_contain_text("3号楼东侧土方未苫盖")
            page.goto(project_url)
            page.click("#diary-link")
            expect(page.locator("#site-inspections")).to_contain_text("文明施工")
            page.goto(project_url)
            page.click("#steps button:has-text('申请验收')")
            expect(page.locator(".plan-head")).to_contain_text("验收中")

            # The survey, on the surveyor's phone: the compound and building stay for the next household.
            phone.goto(project_url)
            phone.click("#acceptance-link")
            check = phone.locator("details:has(#check-form)")
            check.locator("summary").click()
            phone.locator("#check-form textarea[name=participants]").fill("社区居委会 王主任\n业委会 李主任\n楼院长 张师傅")
            phone.locator("#check-form textarea[name=punchList]").fill("3号楼楼道补刷")
            phone.locator("#check-form button[type=submit]").click()
            expect(phone.locator("#check")).to_contain_text("业委会")
            for room, verdict in [("101", "satisfied"), ("102", "satisfied"), ("201", "basicallySatisfied"), ("202", "satisfied")]:
                survey = phone.locator("#survey")
                if not survey.locator("input[name=building]").input_value():
                    survey.locator("input[name=building]").fill("1")
                    survey.locator("input[name=unit]").fill("1")
                survey.locator("input[name=room]").fill(room)
                survey.locator(f"label.verdict-{verdict}").click()
                survey.locator("button[type=submit]").click()
                expect(phone.locator("#responses")).to_contain_text(f"1单元{room}")
            # A household answers once.
            survey = phone.locator("#survey")
            survey.locator("input[name=room]").fill("101")
            survey.locator("label.verdict-dissatisfied").click()
            survey.locator("button[type=submit]").click()
            expect(phone.locator(".alert.error")).to_contain_text("has answered this survey already")
            expect(phone.locator("#explanation")).to_contain_text("4 / 6")
            expect(phone.locator("#explanation")).to_contain_text("测评通过")
            phone.screenshot(path=os.path.join(SHOTS, "renovation-survey-phone.png"), full_page=True)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, f"the survey page scrolls sideways on a phone: {width}px"

            # A household answers itself: the officer issues its code, the household types it in at home.
            codes = phone.locator("details:has(#codes-form)")
            codes.locator("summary").click()
            phone.locator("#codes-form input[name=building]").fill("1")
            phone.locator("#codes-form input[name=unit]").fill("1")
            phone.locator("#codes-form input[name=rooms]").fill("301")
            phone.locator("#codes-form button[type=submit]").click()
            code = phone.locator("#codes .survey-code").first.inner_text()
            household = guarded(browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page())
            household.goto(server.base + "/public/survey")
            household.fill("#code-form input[name=code]", code.lower())
            household.click("#code-form button[type=submit]")
            expect(household.locator("#ticket")).to_contain_text("1单元301")
            household.locator("label.verdict-satisfied").click()
            household.locator("#survey textarea[name=comment]").fill("楼道干净了，谢谢")
            household.click("#survey button[type=submit]")
            expect(household.locator("#thanks")).to_be_visible()
            household.screenshot(path=os.path.join(SHOTS, "renovation-household-survey-phone.png"), full_page=True)
            phone.goto(phone.url.split("?")[0])
            expect(phone.locator("#explanation")).to_contain_text("5 / 6")
            phone.click("#close-form button[type=submit]")
            expect(phone.locator("#earlier")).to_contain_text("通过")

            page.goto(project_url)
            page.click("#steps button:has-text('竣工')")
            expect(page.locator(".plan-head")).to_contain_text("已竣工")
            page.screenshot(path=os.path.join(SHOTS, "renovation-project.png"), full_page=True)
            public_url = page.locator("#public-link").get_attribute("href")
            page.goto(server.base + f"/console/compounds/{compound['id']}/facilities")
            expect(page.locator("#facilities input[name='quantity.parkingSpaces']")).not_to_have_value("2")

            # Anyone, without logging in: the project, what each round published, the survey's result; not who said what.
            anonymous = guarded(browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page())
            anonymous.goto(server.base + public_url)
            expect(anonymous.locator("#publications")).to_contain_text("方案在公示栏和微信群公示")
            expect(anonymous.locator("#disclosures")).to_contain_text("改造方案批复")
            with anonymous.expect_response(lambda r: "/documents/" in r.url) as opened:
                anonymous.evaluate("url => fetch(url)", anonymous.locator("#disclosures a").first.get_attribute("href"))
            assert opened.value.status == 200 and opened.value.headers["content-type"] == "application/pdf", "the public cannot open the disclosure"
            expect(anonymous.locator("#acceptance")).to_contain_text("测评通过")
            assert "张阿姨" not in anonymous.content() and "电梯费用分摊过高" not in anonymous.content(), "the public page shows what a resident said"
            anonymous.screenshot(path=os.path.join(SHOTS, "renovation-public-phone.png"), full_page=True)
            width = anonymous.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, f"the public project page scrolls sideways on a phone: {width}px"

            # 改造网格: the demo's grid of 七政's live projects; its grid worker reads it on a phone, phones masked,
            # and records a household visit on one of its projects, but not the plan's steps.
            page.goto(server.base + "/console/renovation")
            page.click("#grids-link")
            page.click("#grids a")
            expect(page.locator("#grid-members")).to_contain_text("李桂芝")
            expect(page.locator("#grid-form")).to_have_count(1)
            page.screenshot(path=os.path.join(SHOTS, "renovation-grid.png"), full_page=True)
            grid_url = page.url
            worker = phone_page(browser)
            login(worker, server.base, "wangge")
            worker.goto(grid_url)
            expect(worker.locator("#grid-members")).to_contain_text("139****0005")
            assert worker.locator("#grid-form").count() == 0, "a grid member may edit the grid"
            worker.locator("#grid-work tr:has-text('征求意见') a").first.click()
            worker.click("#consultation-link")
            visit = fill_visit(worker, today, "1", "1", "602", "网格员入户：希望楼道装扶手")
            visit.locator("button[type=submit]").click()
            expect(worker.locator("#visits")).to_contain_text("网格员入户")
            assert worker.locator("input[name=kind][value=round]").count() == 0, "a grid member may publish a round"
            worker.screenshot(path=os.path.join(SHOTS, "renovation-grid-member-phone.png"), full_page=True)
            browser.close()
            assert_no_csp_violations()

        status, journal = server.api("GET", f"/renovation-projects/{project_url.rstrip('/').split('/')[-1]}/consultation", token)
        assert status == 200, status
        kinds = [e["kind"] for e in journal["entries"]]
        print(f"renovation check: {len(kinds)} consultation entries ({', '.join(sorted(set(kinds)))}), "
              f"{journal['householdsVisited']} of {journal['households']} households visited; approved")
        assert journal["unansweredOpinions"] == 0 and journal["rounds"][1]["published"], journal
        status, after = server.api("GET", f"/compounds/{compound['id']}", token)
        assert status == 200 and after["renovation"] == "completed", (status, after)
        status, acceptance = server.api("GET", f"/renovation-projects/{project_url.rstrip('/').split('/')[-1]}/acceptance", token)
        assert status == 200 and acceptance["rounds"][-1]["passed"], acceptance
        print(f"renovation check: survey {acceptance['rounds'][-1]['explanation']}; completed, the registry says {after['renovation']}")
    finally:
        server.stop()
    print("renovation check: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
