"""scripts/bench's step 7: the headquarters dashboard page against the JSON route for the same query, each on a
central endpoint that was just started (so that the first request of each reads the facts: "cold").

`measure` signs in (the page) or sends the token (the route), times the first request and then `warm` more, and
returns {"what", "status", "first_s", "warm_median_s", "warm_requests", "rates", "bytes"}; "rates" are the three
rates the answer shows (the page's data-rate attributes, the route's JSON), so that the bench can check that both give
the same figures. `compare` makes the summary line of the two measurements. Only the standard library.
"""
from __future__ import annotations

import http.cookiejar
import json
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request


def compare(route: dict, page: dict) -> tuple[str, bool]:
    """One summary line of the two measurements, and whether both showed the same figures."""
    same = route["rates"] == page["rates"]
    shown = "same figures" if same else f"FIGURES DIFFER: route {route['rates']}, page {page['rates']}"
    cold = page["first_s"] / route["first_s"] if route["first_s"] else float("inf")
    warm = page["warm_median_s"] / route["warm_median_s"] if route["warm_median_s"] else float("inf")
    verdict = "met" if cold <= 2 else "NOT met"
    line = (f"first request: page {page['first_s']:.2f} s, route {route['first_s']:.2f} s = {cold:.2f}x "
            f"(target <= 2x: {verdict}); warm median: page {page['warm_median_s'] * 1000:.1f} ms, "
            f"route {route['warm_median_s'] * 1000:.1f} ms = {warm:.1f}x; page {page['bytes']:,} bytes; {shown}")
    return line, same


def measure(url: str, token: str, unit: str, year: str, what: str, warm: int = 10) -> dict:
    """Times the dashboard page (`what` = "page") or the JSON route ("route") for `unit` and `year`."""
    query = urllib.parse.urlencode({"unit": unit, "year": year})
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    if what == "page":
        form = urllib.parse.urlencode({"token": token}).encode()
        try:
            opener.open(urllib.request.Request(url + "/session", data=form, method="POST"), timeout=60)
        except urllib.error.HTTPError as answer:  # the 303 to /dashboard
            if answer.code != 303:
                raise
        target = urllib.request.Request(url + "/dashboard?" + query)
    else:
        target = urllib.request.Request(url + "/v1/metrics?" + query, headers={"Authorization": "Bearer " + token})

    def fetch():
        start = time.monotonic()
        with opener.open(target, timeout=900) as answer:
            body = answer.read().decode("utf-8")
            status = answer.status
        return time.monotonic() - start, status, body

    first, status, body = fetch()
    times = [fetch()[0] for _ in range(warm)]
    if what == "page":
        rates = [float(r) if r else None for r in re.findall(r'data-figure="[a-z]+" data-rate="([^"]*)"', body)]
    else:
        data = json.loads(body)
        rates = [data["wanted"]["existing"]["rate"], data["wanted"]["new"]["rate"], data["reoffending"]["rate"]]
    return {
        "what": what, "status": status, "first_s": round(first, 4),
        "warm_median_s": round(statistics.median(times), 5) if times else None, "warm_requests": warm,
        "rates": rates, "bytes": len(body.encode("utf-8")),
    }
