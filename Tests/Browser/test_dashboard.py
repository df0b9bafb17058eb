"""The headquarters dashboard of `dragnet serve` (SPEC §9) in a real browser.

The HTML contract these tests hold the dashboard to:
- `GET /`: `<form method="post" action="/session">` with one `<input name="token" type="password">` and a submit
  button. `POST /session` answers 303 to /dashboard with a `dragnet_session` cookie (HttpOnly, SameSite=Strict); a bad
  token gets 401 and the form again with a `[role=alert]` message. `form[action="/session/end"]` signs out (303 to /).
- `/dashboard?unit=&year=&quarter=&month=&from=&to=&as_of=&lang=vi|en`: `<html lang>`, `<main data-scope>`, three
  cards `[data-figure=existing|new|reoffending]` with `data-rate` (Swift's shortest double, or empty for null),
  `data-numerator`, `data-denominator`, equal to /v1/metrics for the same query; `table[data-table=units]` whose rows
  link to the units' dashboards; `a[data-list]` to `/dashboard/cases?…` (`table[data-table=cases]`, with `data-count`
  when paginated); `a[data-csv]` downloads; every `<svg>` has `<title>` and `<desc>` and sits in a `<figure>` with a
  `<table>`. It works without JavaScript; 403 and 400 are pages; the token is never in a URL nor in the server's log.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import pytest

FIGURES = ("existing", "new", "reoffending")
SIGN_IN = 'form[action="/session"]'
SIGN_OUT = 'form[action="/session/end"]'
SUBMIT = 'button:not([type]), button[type="submit"], input[type="submit"]'
# What an error page must not be: a stack trace, a Swift error's description, or the API's JSON.
LEAKS = re.compile(r"Traceback|Fatal error|\.swift:\d|DragnetError\(|APIError\(|HTTPResponseError|Error Domain=")


# ---------------------------------------------------------------------------------------------------------------------
# Helpers


def query_string(params: dict) -> str:
    return urllib.parse.urlencode(params, safe="*")


def dashboard_url(central, path="/dashboard", **params) -> str:
    return central.url + path + ("?" + query_string(params) if params else "")


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def params_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).items()}


def with_params(url: str, **changes) -> str:
    parts = urllib.parse.urlsplit(url)
    params = params_of(url)
    params.update(changes)
    return urllib.parse.urlunsplit(parts._replace(query=query_string(params)))


def normalized(text: str) -> str:
    """Text as read: the no-break spaces a page may put inside "43,8 %" count as spaces."""
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def sign_in(page, central, token: str):
    """Signs in through the form of `/`, as a person would (the page is then where the form led)."""
    page.goto(central.url + "/")
    assert page.locator(f'{SIGN_IN} input[name="token"]').count() == 1, f"no sign-in form on {page.url}"
    page.locator(f'{SIGN_IN} input[name="token"]').fill(token)
    with page.expect_navigation():
        page.locator(f"{SIGN_IN} :is({SUBMIT})").first.click()
    return page


def signed_in_page(new_context, central, token: str, **context_options):
    page = new_context(**context_options).new_page()
    sign_in(page, central, token)
    assert path_of(page.url) == "/dashboard", f"signing in ended at {page.url}"
    return page


def goto(page, url: str):
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    return response


def percent_texts(rate: float, lang: str) -> set[str]:
    """The rate as the page should show it: a percentage to one decimal, rounded half away from zero. Exactly on a
    boundary (0.4375 → 43.75 → 43.8) that rule alone decides; a hair's breadth from one, where binary noise makes the
    side uncertain (0.1235 × 1000 = 123.49999…), either neighbour is accepted."""
    thousandths = Decimal(rate * 1000)  # the exact value of the double, as Swift's (rate * 1000).rounded() sees it
    floor = thousandths.to_integral_value(ROUND_FLOOR)
    fraction = thousandths - floor
    candidates = {thousandths.quantize(Decimal(1), ROUND_HALF_UP)}
    if fraction != Decimal("0.5") and abs(fraction - Decimal("0.5")) < Decimal("1e-6"):
        candidates |= {floor, floor + 1}
    texts = {format(candidate / 10, ".1f") for candidate in candidates}
    # One formatter for both languages and the terminal tables: a space before the sign (SPEC §9's "43,8 %").
    if lang == "vi":
        return {text.replace(".", ",") + " %" for text in texts}
    return {text + " %" for text in texts}


def expected_figure(metrics: dict, figure: str) -> tuple[int, int, float | None]:
    if figure == "reoffending":
        block = metrics["reoffending"]
        return block["reoffended"], block["population"], block["rate"]
    block = metrics["wanted"][figure]
    return block["captured"], block["count"], block["rate"]


def check_figure_cards(page, metrics: dict, lang: str) -> None:
    for figure in FIGURES:
        cards = page.locator(f'[data-figure="{figure}"]')
        assert cards.count() == 1, f'{cards.count()} elements [data-figure="{figure}"] on {page.url}'
        card = cards.first
        numerator, denominator, rate = expected_figure(metrics, figure)
        shown = {name: card.get_attribute(name) for name in ("data-rate", "data-numerator", "data-denominator")}
        where = f'[data-figure="{figure}"] on {page.url}: {shown}, /v1/metrics has {numerator}/{denominator} = {rate}'
        assert shown["data-numerator"] is not None and int(shown["data-numerator"]) == numerator, where
        assert shown["data-denominator"] is not None and int(shown["data-denominator"]) == denominator, where
        assert shown["data-rate"] is not None, where
        if rate is None:
            assert shown["data-rate"] == "", where
            continue
        assert shown["data-rate"] != "" and float(shown["data-rate"]) == rate, where
        text = normalized(card.inner_text())
        wanted = percent_texts(rate, lang)
        assert any(option in text for option in wanted), f"{where}: none of {wanted} in the card's text {text!r}"


SUPERVISION_KINDS = ("reported_in", "contacts_on_time", "arrival_overdue", "whereabouts_unknown", "wanted_open")


def check_supervision_panel(page, metrics: dict, lang: str) -> None:
    """The supervision panel holds /v1/metrics' `supervision` object: the day, the supervised, each count and share."""
    expected = metrics["supervision"]
    panels = page.locator("section[data-supervision-on]")
    assert panels.count() == 1, f"{panels.count()} supervision panels (section[data-supervision-on]) on {page.url}"
    panel = panels.first
    assert panel.get_attribute("data-supervision-on") == expected["on"], page.url
    supervised = panel.locator('tr[data-supervision="supervised"]')
    assert supervised.get_attribute("data-count") == str(expected["supervised"]), f"{page.url}: {expected}"
    for kind in SUPERVISION_KINDS:
        row = panel.locator(f'tr[data-supervision="{kind}"]')
        assert row.count() == 1, f'no tr[data-supervision="{kind}"] on {page.url}'
        count, share = expected[kind]["count"], expected[kind]["share"]
        where = f"{kind} on {page.url}: /v1/metrics has {count}, {share}"
        assert row.get_attribute("data-count") == str(count), where
        if share is None:
            assert row.get_attribute("data-share") == "", where
        else:
            assert float(row.get_attribute("data-share")) == share, where
            text = normalized(row.inner_text())
            assert any(option in text for option in percent_texts(share, lang)), f"{where}: {text!r}"


def data_rows(table) -> int:
    return table.locator("tr:has(td)").count()


def check_is_page(response, status: int, *must_name: str) -> str:
    """An error answer for a person: the status, an HTML page, no stack trace nor JSON; returns its text."""
    assert response.status == status, f"{response.url}: {response.status}, expected {status}"
    content_type = response.headers.get("content-type", "")
    body = response.text()
    assert content_type.startswith("text/html"), f"{response.url}: Content-Type {content_type!r}: {body[:300]!r}"
    assert re.search(r"<html[\s>]", body, re.I), f"{response.url}: not an HTML page: {body[:300]!r}"
    try:
        json.loads(body)
        pytest.fail(f"{response.url}: the body is JSON: {body[:300]!r}")
    except ValueError:
        pass
    assert not LEAKS.search(body), f"{response.url}: the page shows internals: {LEAKS.search(body).group(0)!r}"
    for word in must_name:
        assert word in body, f"{response.url}: the page does not name {word!r}: {body[:600]!r}"
    return body


def parse_csv(path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows, "the CSV is empty"
    header = rows[0]
    assert header and all(cell.strip() for cell in header), f"the CSV has no header row: {header!r}"
    assert not any(cell.strip().lstrip("-").replace(".", "", 1).isdigit() for cell in header), \
        f"the CSV's first row looks like data, not a header: {header!r}"
    for number, row in enumerate(rows[1:], start=2):
        assert len(row) == len(header), f"CSV line {number} has {len(row)} fields, the header {len(header)}: {row!r}"
    return rows


def download(page, link):
    with page.expect_download() as info:
        link.click()
    result = info.value
    assert result.failure() is None, f"the download of {result.url} failed: {result.failure()}"
    return result


# ---------------------------------------------------------------------------------------------------------------------
# Signing in and out


def test_sign_in_form(page, central, shots_dir):
    response = goto(page, central.url + "/")
    assert response.status == 200
    assert response.headers.get("content-type", "").startswith("text/html")
    form = page.locator(SIGN_IN)
    assert form.count() == 1, "no single <form action=/session> on /"
    assert (form.get_attribute("method") or "").lower() == "post"
    inputs = form.locator("input:not([type=hidden]):not([type=submit])")
    assert inputs.count() == 1, f"the sign-in form has {inputs.count()} fields, expected one (token)"
    assert inputs.first.get_attribute("name") == "token"
    assert inputs.first.get_attribute("type") == "password"
    assert form.locator(SUBMIT).count() >= 1, "the sign-in form has no submit button"
    assert page.locator("[role=alert]").count() == 0, "a fresh sign-in page shows an alert"
    page.screenshot(path=str(shots_dir / "sign-in.png"), full_page=True)


def test_session_cookie_and_redirect(central):
    answer = central.http("POST", "/session", form={"token": central.tokens["hq79"]})
    assert answer.status == 303, f"POST /session: {answer.status} {answer.text[:300]}"
    assert path_of(answer.headers.get("Location", "")) == "/dashboard", answer.headers.get("Location")
    cookies = [c for c in answer.header_list("Set-Cookie") if c.strip().startswith("dragnet_session=")]
    assert len(cookies) == 1, f"Set-Cookie headers: {answer.header_list('Set-Cookie')}"
    name_value, *attributes = [part.strip() for part in cookies[0].split(";")]
    attributes = [a.lower().replace(" ", "") for a in attributes]
    assert "httponly" in attributes, cookies[0]
    assert "samesite=strict" in attributes, cookies[0]
    value = name_value.split("=", 1)[1]
    assert value and central.tokens["hq79"] not in value, "the session cookie carries the token itself"
    dashboard = central.http("GET", "/dashboard", cookie=name_value)
    assert dashboard.status == 200, f"GET /dashboard with the new session: {dashboard.status}"
    assert dashboard.headers.get("Content-Type", "").startswith("text/html")


def test_sign_in_through_the_browser(new_context, central):
    context = new_context()
    page = context.new_page()
    sign_in(page, central, central.tokens["hq79"])
    assert path_of(page.url) == "/dashboard"
    cookies = {c["name"]: c for c in context.cookies()}
    assert "dragnet_session" in cookies, f"cookies after signing in: {list(cookies)}"
    assert cookies["dragnet_session"]["httpOnly"] is True
    assert cookies["dragnet_session"]["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("dragnet_session") == -1, "the session cookie is readable by scripts"
    assert page.locator("main[data-scope]").get_attribute("data-scope") == "79"


def test_bad_token_gets_401_and_the_form_with_a_message(page, central):
    answer = central.http("POST", "/session", form={"token": "not-a-token"})
    assert answer.status == 401, f"POST /session with a bad token: {answer.status}"
    assert not [c for c in answer.header_list("Set-Cookie") if "dragnet_session=" in c and "Max-Age=0" not in c]

    page.goto(central.url + "/")
    page.locator(f'{SIGN_IN} input[name="token"]').fill("not-a-token-either")
    with page.expect_response(lambda r: path_of(r.url) == "/session" and r.request.method == "POST") as info:
        page.locator(f"{SIGN_IN} :is({SUBMIT})").first.click()
    check_is_page(info.value, 401)
    page.wait_for_load_state()
    alert = page.locator("[role=alert]")
    assert alert.count() >= 1, "no [role=alert] after a bad token"
    assert alert.first.inner_text().strip(), "the [role=alert] is empty"
    assert page.locator(f'{SIGN_IN} input[name="token"]').count() == 1, "the form is not shown again"
    assert "not-a-token-either" not in page.content(), "the bad token is echoed back into the page"


def test_sign_out(new_context, central):
    context = new_context()
    page = context.new_page()
    sign_in(page, central, central.tokens["hq79"])
    cookie = next(c for c in context.cookies() if c["name"] == "dragnet_session")
    form = page.locator(SIGN_OUT)
    assert form.count() == 1, "no sign-out form (form[action=/session/end]) on the dashboard"
    assert (form.get_attribute("method") or "").lower() == "post"
    with page.expect_response(lambda r: path_of(r.url) == "/session/end") as info:
        with page.expect_navigation():
            form.locator(SUBMIT).first.click()
    assert info.value.status == 303, f"POST /session/end: {info.value.status}"
    assert path_of(info.value.headers.get("location", "")) == "/"
    assert path_of(page.url) == "/"
    assert page.locator(SIGN_IN).count() == 1
    # The old cookie no longer opens the dashboard, from the browser or from anywhere else.
    response = goto(page, central.url + "/dashboard")
    assert response.status == 401 or path_of(page.url) == "/", f"after signing out: {response.status} {page.url}"
    again = central.http("GET", "/dashboard", cookie=f"dragnet_session={cookie['value']}")
    assert again.status in (401, 303), f"the ended session's cookie still answers {again.status}"
    if again.status == 303:
        assert path_of(again.headers.get("Location", "")) == "/"


def test_station_token_sees_its_own_unit(new_context, central):
    page = signed_in_page(new_context, central, central.tokens["79.26734"])
    assert page.locator("main[data-scope]").get_attribute("data-scope") == "79.26734"


def test_without_a_session_the_dashboard_is_not_shown(page, central):
    for path in ("/dashboard", "/dashboard?unit=79&year=2020", "/dashboard/cases?unit=79&year=2020&list=existing"):
        response = goto(page, central.url + path)
        if response.request.redirected_from is not None:
            assert path_of(page.url) == "/", f"{path} without a session went to {page.url}"
        else:
            assert response.status == 401, f"{path} without a session: {response.status}"
        assert page.locator(SIGN_IN).count() == 1, f"{path} without a session does not show the sign-in form"
        assert page.locator("[data-figure]").count() == 0
        assert "TN-000" not in page.content(), f"{path} without a session shows cases"


# ---------------------------------------------------------------------------------------------------------------------
# The figures


FIGURE_QUERIES = [
    pytest.param("79", {"year": "2020"}, "vi", id="79-2020-vi"),
    pytest.param("79", {"year": "2020"}, "en", id="79-2020-en"),
    pytest.param("79", {"quarter": "2020Q3"}, "vi", id="79-2020Q3"),
    pytest.param("79", {"month": "2020-07"}, "en", id="79-2020-07"),
    pytest.param("79", {"from": "2021-01-01", "to": "2021-06-30"}, "vi", id="79-2021H1"),
    pytest.param("79", {"year": "2020", "as_of": "2021-01-15T08:00:00Z"}, "vi", id="79-2020-as-of-before-import"),
    pytest.param("79.26734", {"year": "2020"}, "vi", id="79.26734-2020"),
    pytest.param("79.26737", {"year": "2021"}, "en", id="79.26737-2021"),
    pytest.param("*", {"year": "2020"}, "vi", id="national-2020-vi"),
    pytest.param("*", {"year": "2020"}, "en", id="national-2020-en"),
]


@pytest.mark.parametrize("unit, period, lang", FIGURE_QUERIES)
def test_figure_cards_equal_the_metrics_route(new_context, central, request, unit, period, lang):
    token = request.getfixturevalue("national_token") if unit == "*" else central.tokens["hq79"]
    metrics = central.metrics({"unit": unit, **period}, token)
    page = signed_in_page(new_context, central, token)
    response = goto(page, dashboard_url(central, unit=unit, **period, lang=lang))
    assert response.status == 200, f"{page.url}: {response.status}"
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("main[data-scope]").get_attribute("data-scope") == unit
    check_figure_cards(page, metrics, lang)
    check_supervision_panel(page, metrics, lang)


def test_the_plan_example_in_both_languages(new_context, central):
    """Fixtures/README.md: 79 in 2020 captured 7 of 16 existing wanted persons, 43.75 % shown as 43,8 % / 43.8 %."""
    page = signed_in_page(new_context, central, central.tokens["hq79"])
    texts = {}
    for lang, shown in (("vi", "43,8 %"), ("en", "43.8 %")):
        goto(page, dashboard_url(central, unit="79", year="2020", lang=lang))
        card = page.locator('[data-figure="existing"]')
        assert (card.get_attribute("data-numerator"), card.get_attribute("data-denominator")) == ("7", "16")
        assert card.get_attribute("data-rate") == "0.4375"
        assert shown in normalized(card.inner_text()), f"{lang}: {card.inner_text()!r}"
        texts[lang] = page.locator("main").inner_text()
    assert texts["vi"] != texts["en"], "the page reads the same in vi and en"
    goto(page, dashboard_url(central, unit="79", year="2020"))
    assert page.locator("html").get_attribute("lang") == "vi", "Vietnamese is not the default"


# The supervision of released persons (SPEC §10) in ward 01.00004 on 31/12/2020, worked out by hand from the events
# recorded in conftest.build_hanoi_station: three persons under supervision (TT-2020-102, TD-2020-103, DX-2020-104; DX-2019-101 ended
# on 05/10); reported in: TT-2020-102 and TD-2020-103; contacts on time: TD-2020-103 only (TT-2020-102's last contact
# was 143 days before, over 92); arrival overdue: DX-2020-104 (released 22/12, 9 days); whereabouts unknown and
# wanted: TT-2020-102. Label, count, share as the panel shows them.
SUPERVISION_BY_HAND = {
    "vi": [("supervised", "Người được tha tù đang quản lý", 3, None),
           ("reported_in", "Đã trình diện", 2, "66,7 %"),
           ("contacts_on_time", "Tiếp xúc đúng hạn", 1, "33,3 %"),
           ("arrival_overdue", "Quá hạn trình diện", 1, "33,3 %"),
           ("whereabouts_unknown", "Vắng mặt không rõ lý do tại nơi cư trú", 1, "33,3 %"),
           ("wanted_open", "Đang bị truy nã", 1, "33,3 %")],
    "en": [("supervised", "Released persons under supervision", 3, None),
           ("reported_in", "Reported in", 2, "66.7 %"),
           ("contacts_on_time", "Contacts on time", 1, "33.3 %"),
           ("arrival_overdue", "Overdue to report in", 1, "33.3 %"),
           ("whereabouts_unknown", "Whereabouts unknown", 1, "33.3 %"),
           ("wanted_open", "Wanted, case open", 1, "33.3 %")],
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_supervision_panel_shows_the_hand_worked_figures(new_context, central, lang):
    """The ward's own token, on a phone-wide window: the panel's rows read as worked out above, and fit the window."""
    page = signed_in_page(new_context, central, central.tokens["01.00004"], viewport={"width": 390, "height": 844})
    goto(page, dashboard_url(central, unit="01.00004", year="2020", lang=lang))
    panel = page.locator("section[data-supervision-on]")
    assert panel.count() == 1, f"no supervision panel on {page.url}"
    assert panel.get_attribute("data-supervision-on") == "2020-12-31"
    assert ("31/12/2020" if lang == "vi" else "2020-12-31") in panel.inner_text()
    for key, label, count, share in SUPERVISION_BY_HAND[lang]:
        row = panel.locator(f'tr[data-supervision="{key}"]')
        assert row.count() == 1, f'no tr[data-supervision="{key}"] in the panel'
        cells = [normalized(cell).strip() for cell in row.locator("th, td").all_inner_texts()]
        assert cells[0] == label, f"{key}: {cells}"
        assert cells[1] == str(count), f"{key}: {cells}"
        if share is not None:
            assert cells[2] == share, f"{key}: {cells}"
        assert row.get_attribute("data-count") == str(count)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page with the supervision panel is {width} px wide in a 390 px window"
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"the panel is at {box}"


# What is due at ward 01.00004 on 31/12/2020 (conftest's build_hanoi_station), worked out by hand, oldest first:
# - TT-2020-102 (Vũ Thị Thanh Hương): whereabouts unknown since 02/11/2020: 28 days to 30/11 + 31 = 59 days;
#   last contact 10/08, sentence completed: 92-day interval, due from 10/08 + 93 days = 11/11/2020 (21 days to 31/08,
#   +30 = 30/09, +31 = 31/10, +11 = 11/11): 19 days to 30/11 + 31 = 50 days;
# - DX-2020-104 (Kha Văn Bình): amnesty 22/12, never reported in: due from day 6, 28/12/2020: 3 days;
# - TD-2020-103 (Lã Văn Cường): last contact 20/12 (11 days, within 31), probation to 15/06/2021 (166 days away,
#   more than 30): nothing due; DX-2019-101 ended on 05/10/2020: nothing due.
DUE_BY_HAND = [
    ("01.00004/TT-2020-102", "Vũ Thị Thanh Hương", "whereabouts_unknown", "02/11/2020", "2020-11-02", "59"),
    ("01.00004/TT-2020-102", "Vũ Thị Thanh Hương", "contact_overdue", "11/11/2020", "2020-11-11", "50"),
    ("01.00004/DX-2020-104", "Kha Văn Bình", "arrival_overdue", "28/12/2020", "2020-12-28", "3"),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_supervision_panel_leads_to_what_is_due_case_by_case(new_context, central, lang):
    """From the panel's link, the ward's worklist on the panel's day: the items worked out above, oldest first."""
    page = signed_in_page(new_context, central, central.tokens["01.00004"], viewport={"width": 390, "height": 844})
    goto(page, dashboard_url(central, unit="01.00004", year="2020", lang=lang))
    link = page.locator('a[data-link="due"]')
    assert link.count() == 1, "no link to the worklist in the supervision panel"
    link.click()
    page.wait_for_load_state()
    main = page.locator("main.due")
    assert main.count() == 1, f"no worklist at {page.url}"
    assert main.get_attribute("data-on") == "2020-12-31"
    rows = page.locator('table[data-table="due"] tbody tr')
    got = [[normalized(cell).strip() for cell in rows.nth(i).locator("td").all_inner_texts()]
           for i in range(rows.count())]
    expected = [[case, person, "", vi if lang == "vi" else en, days, "01.00004"]
                for case, person, _, vi, en, days in DUE_BY_HAND]
    assert [[r[0], r[1], r[3], r[4], r[5]] for r in got] == [[e[0], e[1], e[3], e[4], e[5]] for e in expected]
    kinds = [rows.nth(i).get_attribute("data-due") for i in range(rows.count())]
    assert kinds == [kind for _, _, kind, _, _, _ in DUE_BY_HAND]
    counts = {li.get_attribute("data-due-count"): normalized(li.inner_text()) for li in
              page.locator("li[data-due-count]").all()}
    assert counts["probation_ending"].endswith(": 0") and counts["arrival_overdue"].endswith(": 1"), counts
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the worklist page is {width} px wide in a 390 px window"


# ---------------------------------------------------------------------------------------------------------------------
# Units, lists behind the numbers, CSV


@pytest.mark.parametrize("unit", ["79", "*"], ids=["79", "national"])
def test_units_table_links_to_each_unit(new_context, central, request, unit):
    token = request.getfixturevalue("national_token") if unit == "*" else central.tokens["hq79"]
    metrics = central.metrics({"unit": unit, "year": "2020"}, token)
    expected_units = {row["unit"] for row in metrics["units"]}
    if unit == "*":
        assert expected_units == {"01", "79"}, f"/v1/metrics?unit=* lists {expected_units}"
    page = signed_in_page(new_context, central, token)
    goto(page, dashboard_url(central, unit=unit, year="2020"))
    table = page.locator('table[data-table="units"]')
    assert table.count() == 1, 'no single table[data-table="units"]'
    rows = table.locator("tr:has(td)")
    assert rows.count() == len(expected_units), f"{rows.count()} unit rows, /v1/metrics has {sorted(expected_units)}"
    linked = []
    for index in range(rows.count()):
        links = rows.nth(index).locator('a[href*="/dashboard?"]')
        assert links.count() >= 1, f"unit row {index + 1} has no link to a dashboard: {rows.nth(index).inner_text()!r}"
        href = links.first.get_attribute("href")
        absolute = urllib.parse.urljoin(page.url, href)
        assert path_of(absolute) == "/dashboard", href
        linked.append(absolute)
    assert {params_of(href).get("unit") for href in linked} == expected_units

    first = linked[0]
    child = params_of(first)["unit"]
    with page.expect_navigation():
        rows.first.locator('a[href*="/dashboard?"]').first.click()
    assert page.locator("main[data-scope]").get_attribute("data-scope") == child
    query = {k: v for k, v in params_of(first).items() if k != "lang"}
    check_figure_cards(page, central.metrics(query, token), page.locator("html").get_attribute("lang"))


# The lists behind each figure: a[data-list] names the list; the reoffending figure's is the released population.
LISTS_OF_FIGURE = {"existing": {"existing"}, "new": {"new"}, "reoffending": {"reoffending", "released"}}


def linked_number(link) -> int | None:
    """The number a list's link is: its text when that is a number ("16"), else the first number in it ("7 of 16
    captured", "Bắt, vận động đầu thú 7/16 đối tượng": the 7 captured)."""
    text = normalized(link.inner_text()).strip()
    plain = re.sub(r"[.,\s]", "", text)
    if plain.isdigit():
        return int(plain)
    found = re.search(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?!\d)", text)
    return int(re.sub(r"\D", "", found.group())) if found else None


def test_lists_behind_the_numbers(new_context, central):
    metrics = central.metrics({"unit": "79", "year": "2020"}, central.tokens["hq79"])
    page = signed_in_page(new_context, central, central.tokens["hq79"])
    goto(page, dashboard_url(central, unit="79", year="2020"))
    links = page.locator("a[data-list]")
    kinds = {links.nth(i).get_attribute("data-list") for i in range(links.count())}
    for figure, names in LISTS_OF_FIGURE.items():
        assert kinds & names, f"no a[data-list] for the {figure} figure ({names}); the dashboard has {sorted(kinds)}"
    targets = {}
    for index in range(links.count()):
        link = links.nth(index)
        href = urllib.parse.urljoin(page.url, link.get_attribute("href"))
        assert path_of(href) == "/dashboard/cases", f"a[data-list] points at {href}"
        number = linked_number(link)
        assert number is not None, f"the list link {href} shows no number: {link.inner_text()!r}"
        assert targets.setdefault(href, (link.get_attribute("data-list"), number)) == (
            link.get_attribute("data-list"), number), f"{href} is linked from two different numbers"

    counted = {}  # list kind -> {count shown: list URL}
    for href, (kind, number) in targets.items():
        response = goto(page, href)
        assert response.status == 200, f"{href}: {response.status}"
        table = page.locator('table[data-table="cases"]')
        assert table.count() == 1, f'{href}: no single table[data-table="cases"]'
        rows = data_rows(table)
        declared = table.get_attribute("data-count")
        if declared is not None:
            assert int(declared) == number, f"{href}: data-count={declared}, linked from the number {number}"
            assert rows <= number and (rows > 0 or number == 0), f"{href}: {rows} rows shown of {number}"
        else:
            assert rows == number, f"{href} ({kind}): {rows} rows, linked from the number {number}"
        counted.setdefault(kind, {})[number] = href

    # Each figure's whole denominator is one of the lists.
    whole = {}
    for figure, names in LISTS_OF_FIGURE.items():
        denominator = expected_figure(metrics, figure)[1]
        found = [lists[denominator] for kind, lists in counted.items() if kind in names and denominator in lists]
        assert found, f"no list of the {figure} figure's {denominator} cases among {counted}"
        whole[figure] = found[0]

    # Who is in which list, from Fixtures/README.md: TN-00024 opened 2019-11-05 (existing in 2020), TN-00021 opened
    # 2020-01-01 (new), TN-00015 closed 2019-12-31 (in neither).
    goto(page, whole["existing"])
    existing = page.locator('table[data-table="cases"]').inner_text()
    goto(page, whole["new"])
    new = page.locator('table[data-table="cases"]').inner_text()
    assert "TN-00024" in existing and "TN-00024" not in new
    assert "TN-00021" in new and "TN-00021" not in existing
    assert "TN-00015" not in existing and "TN-00015" not in new


def test_csv_downloads(new_context, central):
    metrics = central.metrics({"unit": "79", "year": "2020"}, central.tokens["hq79"])
    page = signed_in_page(new_context, central, central.tokens["hq79"])
    goto(page, dashboard_url(central, unit="79", year="2020"))
    csv_links = page.locator("a[data-csv]")
    assert csv_links.count() >= 1, "no a[data-csv] on the dashboard"
    for index in range(csv_links.count()):
        link = csv_links.nth(index)
        rows = parse_csv(download(page, link).path())
        assert len(rows) >= 2, f"the {link.get_attribute('data-csv')} CSV has no data line"
        if link.get_attribute("data-csv") == "units":
            for unit in (row["unit"] for row in metrics["units"]):
                lines = [row for row in rows[1:] if unit in row]
                assert len(lines) == 1, f"the units CSV has {len(lines)} lines for {unit}"

    # The existing wanted list: one line per case, plus the header.
    count = metrics["wanted"]["existing"]["count"]
    existing = next(urllib.parse.urljoin(page.url, link.get_attribute("href"))
                    for link in page.locator('a[data-list="existing"]').all() if linked_number(link) == count)
    goto(page, existing)
    links = page.locator("a[data-csv]")
    assert links.count() >= 1, f"no a[data-csv] on the list {existing}"
    result = download(page, links.first)
    assert result.suggested_filename.lower().endswith(".csv"), result.suggested_filename
    rows = parse_csv(result.path())
    assert len(rows) == 1 + count, f"the existing-cases CSV has {len(rows)} lines, expected 1 + {count}"
    assert any("TN-00024" in cell for row in rows for cell in row)


# ---------------------------------------------------------------------------------------------------------------------
# Charts, no JavaScript


def test_every_chart_has_a_title_a_description_and_a_twin_table(new_context, central):
    page = signed_in_page(new_context, central, central.tokens["hq79"])
    goto(page, dashboard_url(central, unit="79", year="2020"))
    svgs = page.locator("svg")
    assert svgs.count() >= 1, "no <svg> chart on the dashboard"
    for index in range(svgs.count()):
        svg = svgs.nth(index)
        label = f"svg #{index + 1}"
        title = svg.locator(":scope > title")
        desc = svg.locator(":scope > desc")
        assert title.count() >= 1 and title.first.text_content().strip(), f"{label} has no <title> child"
        label += f" ({title.first.text_content().strip()!r})"
        assert desc.count() >= 1 and desc.first.text_content().strip(), f"{label} has no <desc> child"
        figure = svg.locator("xpath=ancestor::figure[1]")
        assert figure.count() == 1, f"{label} is not inside a <figure>"
        table = figure.locator("table")
        assert table.count() >= 1, f"{label}'s <figure> holds no <table>"
        assert table.first.locator("td").count() >= 1, f"{label}'s twin table has no cells"


def test_works_without_javascript(new_context, central):
    page = signed_in_page(new_context, central, central.tokens["hq79"], java_script_enabled=False)
    for figure in FIGURES:
        assert page.locator(f'[data-figure="{figure}"]').is_visible(), f"{figure} card not visible without scripts"
    goto(page, dashboard_url(central, unit="79", year="2020", lang="vi"))
    check_figure_cards(page, central.metrics({"unit": "79", "year": "2020"}, central.tokens["hq79"]), "vi")
    page.locator('table[data-table="units"] a[href*="/dashboard?"]').first.click()
    page.wait_for_load_state()
    assert page.locator("main[data-scope]").get_attribute("data-scope") in ("79.26734", "79.26737")


# ---------------------------------------------------------------------------------------------------------------------
# Refusals


def test_403_outside_the_token_scope(new_context, central):
    page = signed_in_page(new_context, central, central.tokens["hq79"])
    goto(page, dashboard_url(central, unit="79", year="2020"))
    inside = [urllib.parse.urljoin(page.url, page.locator(sel).nth(i).get_attribute("href"))
              for sel in ("a[data-csv]", "a[data-list]") for i in range(page.locator(sel).count())]
    assert inside, "no a[data-csv] nor a[data-list] on the dashboard to try outside the scope"
    goto(page, with_params(next(u for u in inside if path_of(u) == "/dashboard/cases"), lang="vi"))
    inside += [urllib.parse.urljoin(page.url, page.locator("a[data-csv]").nth(i).get_attribute("href"))
               for i in range(page.locator("a[data-csv]").count())]

    for outside in ("01", "01.00004", "*"):
        response = goto(page, dashboard_url(central, unit=outside, year="2020"))
        body = check_is_page(response, 403)
        assert "Phùng Đức Thắng" not in body and "TN-01-00" not in body
    tried = set()
    for url in inside:
        wrong = with_params(url, unit="01")
        if wrong in tried:
            continue
        tried.add(wrong)
        body = check_is_page(page.request.get(wrong, max_redirects=0), 403)
        assert "TN-01-00" not in body

    station = signed_in_page(new_context, central, central.tokens["79.26734"])
    check_is_page(goto(station, dashboard_url(central, unit="79", year="2020")), 403)


def test_400_names_the_bad_value(new_context, central):
    page = signed_in_page(new_context, central, central.tokens["hq79"])
    check_is_page(goto(page, dashboard_url(central, year="abc")), 400, "abc")
    check_is_page(goto(page, dashboard_url(central, unit="79", quarter="2020Q5")), 400, "2020Q5")
    check_is_page(goto(page, dashboard_url(central, unit="79", **{"from": "2020-02-30", "to": "2020-03-31"})), 400,
                  "2020-02-30")
    check_is_page(goto(page, dashboard_url(central, unit="79", year="2020", as_of="yesterday")), 400, "yesterday")


# ---------------------------------------------------------------------------------------------------------------------
# Screenshots (looked at by people; they also fail the test when the page does not load)


VIEWPORTS = {"wide": {"width": 1366, "height": 900}, "narrow": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("unit", ["*", "79"], ids=["national", "province-79"])
def test_screenshots(new_context, central, shots_dir, request, unit, lang, viewport):
    token = request.getfixturevalue("national_token") if unit == "*" else central.tokens["hq79"]
    page = signed_in_page(new_context, central, token, viewport=VIEWPORTS[viewport])
    response = goto(page, dashboard_url(central, unit=unit, year="2020", lang=lang))
    assert response.status == 200
    assert page.locator("main[data-scope]").get_attribute("data-scope") == unit
    name = "national" if unit == "*" else f"province-{unit}"
    page.screenshot(path=str(shots_dir / f"dashboard-{name}-{lang}-{viewport}.png"), full_page=True)
    # Nothing wider than the screen: a phone reads the page without scrolling sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], f"the page is {width}px wide in a {viewport} viewport"


# ---------------------------------------------------------------------------------------------------------------------
# Last: what the whole session asked for (pytest runs the tests of a file in order)


def test_token_never_in_a_url_nor_in_the_log_and_nothing_loaded_from_outside(new_context, central, visited_urls):
    for name in ("hq79", "79.26737", "national"):
        if central.tokens.get(name):
            page = signed_in_page(new_context, central, central.tokens[name])
            goto(page, page.url)
    assert any(path_of(url) == "/dashboard" for url in visited_urls)
    for token in central.all_tokens():
        quoted = {token, urllib.parse.quote(token, safe=""), urllib.parse.quote_plus(token)}
        leaked = [url for url in visited_urls if any(form in url for form in quoted)]
        assert not leaked, f"a token appears in URLs the browser visited: {leaked[:3]}"
        assert token not in central.server_output(), "a token appears in the server's output"
    outside = [url for url in visited_urls
               if not url.startswith(central.url + "/") and not url.startswith(("data:", "about:", "blob:"))]
    assert not outside, f"the dashboard loads things from outside the server: {sorted(set(outside))[:5]}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_narrow_window_scrolls_the_tables_not_the_page(new_context, central, national_token, lang):
    """On a phone-wide window (390 px) every page stays as wide as the window: a wide table (the case list, the units'
    table) scrolls inside its own box, so the header bar and the text keep the window's width."""
    page = signed_in_page(new_context, central, national_token, viewport={"width": 390, "height": 800})
    paths = [
        dashboard_url(central, unit="*", year="2020", lang=lang),
        dashboard_url(central, "/dashboard/cases", unit="*", year="2020", list="existing", lang=lang),
        dashboard_url(central, "/dashboard/cases", unit="*", year="2020", list="released", lang=lang),
    ]
    for url in paths:
        goto(page, url)
        assert page.locator("table").count() > 0, f"no table on {url}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide in a 390 px window"
