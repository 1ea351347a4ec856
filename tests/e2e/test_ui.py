"""The web UI from the user's side: headless Chromium (Debian's `chromium` + `chromedriver`, driven
by Selenium) against a real `backtrail serve` over the demo bucket.

One browser and one server for the module. The store is filled by `backtrail backfill` before the
server starts (one chDB data directory per process), then the server owns it: a backfill started
while the page is open is queued to it, and the page shows it load. Every wait is an explicit
condition; the expected numbers come from the API the page calls, or from the demo's story.
"""
from __future__ import annotations

import gzip
import json
import re
import shutil
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest

from backtrail.demo_data import write_synthetic_bucket

from conftest import _env, backfill, describe, run

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (`make test` installs them)")

XSS = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
WAIT = 30


# --- fixtures: one store and server, one browser --------------------------------------------------


def _xss_bucket(root: Path) -> None:
    """One CloudTrail object whose record carries a hostile userAgent."""
    key = root / "AWSLogs/444444444444/CloudTrail/us-east-1/2026/11/02/444444444444_CloudTrail_us-east-1_20261102T1500Z_xss0000000000001.json.gz"
    key.parent.mkdir(parents=True)
    record = {"eventVersion": "1.09", "eventTime": "2026-11-02T15:00:00Z", "eventSource": "s3.amazonaws.com",
              "eventName": "ListBuckets", "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.200",
              "userAgent": XSS, "eventID": "0badc0de-0000-4000-8000-00000000a55a", "eventType": "AwsApiCall",
              "recipientAccountId": "444444444444", "readOnly": True,
              "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::444444444444:user/<b>mallory</b>",
                               "accountId": "444444444444", "userName": "<b>mallory</b>"},
              "requestParameters": {"Host": "s3.amazonaws.com"}, "responseElements": None}
    key.write_bytes(gzip.compress(json.dumps({"Records": [record]}).encode()))


class Server:
    def __init__(self, url: str, token: str, data_dir: Path, proc: subprocess.Popen):
        self.url, self.token, self.data_dir, self.proc = url, token, data_dir, proc

    def api(self, path: str, **params):
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        req = urllib.request.Request(f"{self.url}{path}{'?' + query if query else ''}",
                                     headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)

    def post(self, path: str, body: dict):
        req = urllib.request.Request(f"{self.url}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)

    def count(self, q: str, **params) -> int:
        return int(self.api("/api/count", q=q, **params)["count"])


@pytest.fixture(scope="module")
def server(demo, tmp_path_factory):
    base = tmp_path_factory.mktemp("ui")
    data_dir = base / "data"
    _xss_bucket(base / "xss")
    backfill(f"file://{demo.root}", data_dir, expect=0)
    backfill(f"file://{base / 'xss'}", data_dir, expect=0)
    log = open(base / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "backtrail.cli", "serve", "--data-dir", str(data_dir),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=log, text=True, env=_env(), cwd=base)
    try:
        first = proc.stdout.readline().strip()  # the server prints its UI address first, when it listens
        m = re.fullmatch(r"(http://127\.0\.0\.1:\d+)/#token=(\S+)", first)
        assert m, f"serve printed {first!r}; log:\n{(base / 'serve.log').read_text()[-3000:]}"
        yield Server(m[1], m[2], data_dir, proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-proxy-server", "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, server):
    """Open the UI (`path` is `?view=…&q=…`) the way the server's printed link does."""
    def open_(path: str = "", token: str | None = None):
        browser.get("about:blank")
        browser.get(f"{server.url}/{path}#token={token or server.token}")
        return browser
    return open_


# --- helpers -------------------------------------------------------------------------------------


def wait(driver, condition, timeout: float = WAIT, message: str = ""):
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
        condition, message)


def visible(driver, css: str):
    return wait(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, css)), message=f"{css} visible")


def rows(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#results tbody tr.event")


def column(driver, name: str) -> list[str]:
    return [td.text for td in driver.find_elements(By.CSS_SELECTOR, f"#results tbody tr.event td.{name}")]


def summary_count(driver) -> int | None:
    m = re.match(r"([\d,]+) events?\b", driver.find_element(By.ID, "results-summary").text)
    return int(m[1].replace(",", "")) if m else None


def search(driver, query: str) -> None:
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(query, Keys.ENTER)
    wait(driver, lambda d: d.execute_script("return new URLSearchParams(location.search).get('q')") == query)


def params(driver) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(driver.current_url).query))


def results_for(driver, server: Server, query: str, **time_range) -> int:
    """Wait until the page shows the number of events the API counts for the query; that number."""
    expected = server.count(query, **time_range)
    wait(driver, lambda d: summary_count(d) == expected and len(rows(d)) == min(expected, 100),
         message=f"{expected} events for {query!r}")
    return expected


# --- tests ---------------------------------------------------------------------------------------


def test_search_shows_histogram_and_rows(page, server, demo):
    driver = page()
    visible(driver, "#q")
    wait(driver, lambda d: "token=" not in d.current_url, message="the token leaves the address bar")
    search(driver, demo.attacker_ip)
    n = results_for(driver, server, demo.attacker_ip)
    assert n == server.count(f'ips:{demo.attacker_ip} OR "{demo.attacker_ip}"') > 0
    # read in one go, retried if the histogram is redrawn meanwhile (a stale element)
    drawn = wait(driver, lambda d: [(b.get_attribute("data-source"), int(b.get_attribute("data-count")))
                                    for b in d.find_elements(By.CSS_SELECTOR, "#histogram rect.bar")])
    per_source = {}
    for source, count in drawn:
        per_source[source] = per_source.get(source, 0) + count
    assert sum(per_source.values()) == n  # one bar segment per source and interval, every event counted
    assert {"cloudtrail", "alb", "vpcflow"} <= set(per_source)
    legend = driver.find_element(By.CSS_SELECTOR, "#histogram .legend").text
    assert "cloudtrail" in legend and "alb" in legend
    facet = driver.find_element(By.CSS_SELECTOR, '.facet[data-field="source_type"]')
    wait(driver, lambda d: "cloudtrail" in facet.text)
    # the search is a link: opening it again shows the same
    driver.get("about:blank")
    driver.get(f"{server.url}/?q={urllib.parse.quote(demo.attacker_ip)}")
    results_for(driver, server, demo.attacker_ip)


def test_event_drawer_shows_the_raw_record_as_json(page, server, demo):
    query = f"action:AssumeRole src_ip:{demo.attacker_ip}"
    driver = page("?" + urllib.parse.urlencode({"q": query}))
    results_for(driver, server, query)
    rows(driver)[0].find_element(By.CSS_SELECTOR, "td.ts").click()
    raw = visible(driver, "#drawer-raw")
    record = json.loads(raw.text)
    assert record["eventName"] == "AssumeRole" and record["sourceIPAddress"] == demo.attacker_ip
    assert f'"sourceIPAddress": "{demo.attacker_ip}"' in raw.text  # pretty-printed, one key a line
    columns = driver.find_element(By.ID, "drawer-columns").text
    assert demo.admin_role_arn in driver.find_element(By.ID, "drawer-body").text
    assert "user_agent" in columns and "principals" in columns
    driver.find_element(By.ID, "drawer-close").click()
    wait(driver, EC.invisibility_of_element_located((By.ID, "drawer")))


def test_pivot_on_an_ip(page, server, demo):
    driver = page("?" + urllib.parse.urlencode({"q": demo.leaked_key}))
    results_for(driver, server, demo.leaked_key)
    before = set(column(driver, "src_ip"))
    assert demo.attacker_ip in before and len(before) > 1
    cell = next(td for td in driver.find_elements(By.CSS_SELECTOR, "#results td.src_ip") if td.text == demo.attacker_ip)
    cell.find_element(By.CSS_SELECTOR, ".pv").click()
    pivoted = f"{demo.leaked_key} src_ip:{demo.attacker_ip}"
    wait(driver, lambda d: d.find_element(By.ID, "q").get_attribute("value") == pivoted)
    assert params(driver)["q"] == pivoted
    n = results_for(driver, server, pivoted)
    assert 0 < n < server.count(demo.leaked_key)
    assert set(column(driver, "src_ip")) == {demo.attacker_ip}
    # a value in the drawer pivots too: the role the attacker assumed
    next(r for r in rows(driver) if "AssumeRole" in r.text).click()
    visible(driver, "#drawer-raw")
    action = driver.find_element(By.CSS_SELECTOR, '#drawer-columns tr[data-name="action"] .pv')
    action.click()
    wait(driver, lambda d: d.find_element(By.ID, "q").get_attribute("value") == f"{pivoted} action:AssumeRole")
    results_for(driver, server, f"{pivoted} action:AssumeRole")
    assert set(column(driver, "action")) == {"AssumeRole"}


def test_dragging_on_the_histogram_narrows_the_range(page, server, demo):
    driver = page("?" + urllib.parse.urlencode({"q": demo.attacker_ip}))
    total = results_for(driver, server, demo.attacker_ip)
    chart = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#histogram rect.bar")
                 and d.find_element(By.CSS_SELECTOR, "#histogram svg.chart"))
    width = chart.size["width"]
    actions = ActionChains(driver)
    # drag from 30% to 70% of the chart's width (offsets are from its centre)
    actions.move_to_element_with_offset(chart, int(-width * 0.2), 0).click_and_hold()
    actions.move_by_offset(int(width * 0.4), 0).release().perform()
    wait(driver, lambda d: "since" in params(d) and "until" in params(d), message="the drag sets a range")
    got = params(driver)
    since, until = (datetime.fromisoformat(got[k].replace("Z", "+00:00")) for k in ("since", "until"))
    assert since < until and since.date().isoformat() == demo.incident_day
    assert driver.find_element(By.ID, "range").get_attribute("value") == "custom"
    assert driver.find_element(By.ID, "since").get_attribute("value") == got["since"]
    narrowed = results_for(driver, server, demo.attacker_ip, since=got["since"], until=got["until"])
    assert 0 < narrowed < total
    for ts in column(driver, "ts"):
        assert since <= datetime.fromisoformat(ts).replace(tzinfo=timezone.utc) <= until


def test_more_pages_through_the_results(page, server):
    driver = page("?q=source_type%3Acloudtrail")
    total = results_for(driver, server, "source_type:cloudtrail")
    assert total > 200
    first = [r.get_attribute("data-key") for r in rows(driver)]
    driver.find_element(By.ID, "more").click()
    wait(driver, lambda d: len(rows(d)) == 200)
    keys = [r.get_attribute("data-key") for r in rows(driver)]
    assert keys[:100] == first and len(set(keys)) == 200
    stamps = column(driver, "ts")
    assert stamps == sorted(stamps, reverse=True)  # newest first across the page boundary


def test_saved_searches(page, server, demo):
    saved = {"q": f"principals:{demo.backdoor_key}", "since": demo.incident_day}
    driver = page("?" + urllib.parse.urlencode(saved))
    n = results_for(driver, server, saved["q"], since=saved["since"])
    assert n > 0
    driver.execute_script("localStorage.removeItem('backtrail.saved')")
    driver.find_element(By.ID, "save-name").send_keys("backdoor key", Keys.ENTER)
    link = wait(driver, lambda d: d.find_element(By.LINK_TEXT, "backdoor key"))
    search(driver, "source_type:alb")
    link = driver.find_element(By.LINK_TEXT, "backdoor key")
    link.click()
    wait(driver, lambda d: params(d) == saved)
    assert driver.find_element(By.ID, "range").get_attribute("value") == "custom"
    assert driver.find_element(By.ID, "since").get_attribute("value") == demo.incident_day
    assert results_for(driver, server, saved["q"], since=saved["since"]) == n
    driver.find_element(By.CSS_SELECTOR, "#saved-list button.delete").click()
    wait(driver, lambda d: not d.find_elements(By.LINK_TEXT, "backdoor key"))


def test_user_agent_with_markup_is_shown_as_text(page, server):
    driver = page("?q=pwned")
    results_for(driver, server, "pwned")
    assert column(driver, "actor") == ["arn:aws:iam::444444444444:user/<b>mallory</b>"]
    rows(driver)[0].find_element(By.CSS_SELECTOR, "td.ts").click()
    ua = visible(driver, '#drawer-columns tr[data-name="user_agent"] td')
    assert ua.text == XSS
    assert XSS.replace('"', '\\"') in driver.find_element(By.ID, "drawer-raw").text
    assert driver.execute_script("return typeof window.pwned") == "undefined"
    assert driver.execute_script("return document.querySelectorAll('img[src=x], main script, #drawer b').length") == 0


def test_a_wrong_token_shows_the_token_prompt(page, server):
    driver = page(token="not-the-token")
    prompt = visible(driver, "#token-prompt")
    assert "Token needed" in prompt.text
    driver.find_element(By.ID, "token-input").send_keys(server.token, Keys.ENTER)
    wait(driver, EC.invisibility_of_element_located((By.ID, "token-prompt")))
    wait(driver, lambda d: summary_count(d) == server.count(""))


def test_sources_page(page, server):
    driver = page("?view=sources")
    expected = {s["source_type"]: s["events"] for s in server.api("/api/sources")["sources"]}
    wait(driver, lambda d: {r.get_attribute("data-source"): int(r.find_element(By.CSS_SELECTOR, "td.events").text.replace(",", ""))
                            for r in d.find_elements(By.CSS_SELECTOR, "#sources tbody tr[data-source]")} == expected)
    assert "cloudtrail" in expected and "vpcflow" in expected


def test_hunt_finds_the_attacker(page, server, demo):
    driver = page("?view=hunt")
    box = visible(driver, "#indicators")
    box.send_keys(f"{demo.attacker_ip}\n{demo.leaked_key}\n")
    driver.find_element(By.ID, "hunt-go").click()
    row = visible(driver, f'#hunt-indicators tr[data-indicator="{demo.attacker_ip}"]')
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    found = server.post("/api/hunt", {"indicators": [demo.attacker_ip]})["indicators"][0]["events"]
    assert cells[1] == "ip" and int(cells[2].replace(",", "")) == found >= sum(demo.attacker_records.values())
    assert {"cloudtrail", "alb", "vpcflow", "guardduty"} <= set(cells[5].split(", "))
    assert driver.find_elements(By.CSS_SELECTOR, "#hunt-timeline tbody tr")
    row.find_element(By.CSS_SELECTOR, "a.open-search").click()
    query = f'ips:{demo.attacker_ip} OR "{demo.attacker_ip}"'
    wait(driver, lambda d: d.find_element(By.ID, "q").get_attribute("value") == query)
    results_for(driver, server, query)


def test_alerts_page_opens_the_search_for_an_event(page, server):
    alerts = server.api("/api/alerts", limit=500)["alerts"]
    assert alerts
    driver = page("?view=alerts")
    link = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#alerts a.open-search"))
    event_id = link.text
    link.click()
    wait(driver, lambda d: d.find_element(By.ID, "q").get_attribute("value") == f"event_id:{event_id}")
    n = results_for(driver, server, f"event_id:{event_id}")
    assert n >= 1


def test_a_backfill_moves_its_progress_bar(page, server, demo, tmp_path):
    objects = 4_000  # about 10 s of loading: a few of the page's 2 s refreshes
    write_synthetic_bucket(tmp_path / "many", objects, 1, seed=7)
    driver = page("?view=backfills")
    visible(driver, "#backfills")
    proc = run("backfill", f"file://{tmp_path / 'many'}", data_dir=server.data_dir)
    assert proc.returncode == 0, describe(proc)
    backfill_id = re.search(r"\bbf-[\w-]+", proc.stdout)[0]  # handed to the server that owns the store
    row_css = f'#backfills tr[data-id="{backfill_id}"]'

    def done(d) -> tuple[int, int] | None:
        found = d.find_elements(By.CSS_SELECTOR, row_css)
        if not found:
            return None
        bar = found[0].find_element(By.TAG_NAME, "progress")
        return int(found[0].find_element(By.CSS_SELECTOR, "td.objects").get_attribute("data-done")), \
            int(float(bar.get_attribute("value") or 0))

    first = wait(driver, lambda d: (v := done(d)) and 0 < v[0] and v, message="the backfill appears")
    second = wait(driver, lambda d: (v := done(d)) and v[0] > first[0] and v, message="done count rises")
    assert second[1] > first[1]  # the bar moved
    # the sources page counts the events as they arrive, up to every one of them
    driver.find_element(By.CSS_SELECTOR, '#nav a[data-view="sources"]').click()

    def cloudtrail_events(d) -> int | None:
        cell = d.find_elements(By.CSS_SELECTOR, '#sources tr[data-source="cloudtrail"] td.events')
        return int(cell[0].text.replace(",", "")) if cell else None

    first_events = wait(driver, cloudtrail_events)
    target = demo.events + 1 + objects  # the demo's CloudTrail, the hostile record, one event per object
    # the rise itself was seen above (the done count); here the page may open after the last batch
    assert demo.events < first_events <= target
    wait(driver, lambda d: cloudtrail_events(d) == target, timeout=120, message=f"{target} CloudTrail events")
    driver.find_element(By.CSS_SELECTOR, '#nav a[data-view="backfills"]').click()
    row = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, row_css))
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f"{row_css} td.state").text == "done",
         message="the backfill is done")
    row = driver.find_element(By.CSS_SELECTOR, row_css)
    assert "100%" in row.text and f"{objects:,} / {objects:,}" in row.text
