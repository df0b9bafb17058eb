#!/usr/bin/env python3
"""Signs in to a running `dragnet serve` through its form, as a person would, and saves full-page screenshots of the
dashboard. Needs Playwright and Debian's chromium (scripts/browser-setup installs both; run this with
.build-venv/bin/python).

    dashboard-screenshot.py URL TOKEN_FILE OUT_DIR [QUERY ...]     e.g. "unit=*&year=2020" "unit=79&year=2020&lang=en"

Writes OUT_DIR/dashboard-<n>.png for each query (default: the token's own scope, this year) and prints each path.
The token is typed into the form: it never appears in a URL.
"""
import os
import shutil
import sys

from playwright.sync_api import sync_playwright


def main() -> None:
    url, token_file, out_dir = sys.argv[1:4]
    queries = sys.argv[4:] or [""]
    token = open(token_file, encoding="utf-8").read().strip()
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    os.makedirs(out_dir, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url + "/")
        page.fill("input[name=token]", token)
        page.click("form[action='/session'] button[type=submit]")
        page.wait_for_url("**/dashboard*")
        for n, query in enumerate(queries, start=1):
            page.goto(url + "/dashboard" + ("?" + query if query else ""))
            path = os.path.join(out_dir, f"dashboard-{n}.png")
            page.screenshot(path=path, full_page=True)
            print(path)
        browser.close()


if __name__ == "__main__":
    main()
