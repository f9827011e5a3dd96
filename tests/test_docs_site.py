"""The documentation site: `mkdocs build --strict`, then every page in headless Chromium.

The strict build fails on a broken link or anchor, a page missing from the nav, or a
generated page that cannot be rendered. The browser then checks what only a browser sees:
console errors (a missing script, a failed fetch), same-site links and images that do not
load, and Material's search (a web worker over search/search_index.json) finding a variable.

Chromium and chromedriver are Debian's (`scripts/setup.sh --test`); under CI=true a missing
browser is a failure (tests/conftest.py), elsewhere the browser checks skip.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SEARCH_TERM = "worker_count"
# Hang guards only: nothing asserts on how long a step takes.
PAGE_TIMEOUT_S = 60
SEARCH_TIMEOUT_S = 60
BUILD_TIMEOUT_S = 600

# Quiet, offline Chromium: the machine's network is closed; these keep the browser from
# reaching out (and logging refused connections) on its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with `mkdocs build --strict` (warnings fail the build)."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}{proc.stderr}"
    return out


def test_strict_build_has_every_page(site: Path) -> None:
    pages = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    expected_tutorials = {
        f"getting-started/{p}/{o}"
        for p in ("aws", "azure", "bare-metal", "digital-ocean", "google-cloud")
        for o in ("fedora-coreos", "flatcar-linux")
    }
    assert expected_tutorials <= pages
    for page in (
        "reference/cli",
        "reference/cluster-config",
        "reference/modules",
        "reference/modules/aws/fedora-coreos/kubernetes",
        "architecture",
        "networking",
        "coordinated-updates",
        "offline-verification",
        "bootstrap-sequence",
    ):
        assert page in pages, page


def test_site_serves_the_schema_at_its_id(site: Path) -> None:
    from typhoon_tf.config.schema import cluster_schema

    served = json.loads((site / "schemas" / "cluster.schema.json").read_text())
    assert served == cluster_schema()
    assert served["$id"].endswith("/schemas/cluster.schema.json")


def test_links_into_the_repository_become_site_pages() -> None:
    from typhoon_tf.docs_site import rewrite_repo_links

    text = "[fleetlock](../modules/addons/fleetlock) [aws](../modules/aws/flatcar-linux/kubernetes)"
    assert rewrite_repo_links(text, "coordinated-updates.md") == (
        "[fleetlock](reference/modules/addons/fleetlock.md) "
        "[aws](reference/modules/aws/flatcar-linux/kubernetes.md)"
    )
    # Links that stay inside docs/ or leave the site are left to MkDocs' own validation.
    assert rewrite_repo_links("[c](cilium.md) [t](https://x.org/a)", "networking/README.md") == (
        "[c](cilium.md) [t](https://x.org/a)"
    )


def test_search_index_has_the_variable(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text())
    hits = [doc["location"] for doc in index["docs"] if SEARCH_TERM in doc["text"]]
    assert any(h.startswith("reference/cluster-config/") for h in hits), hits
    assert any(h.startswith("getting-started/") for h in hits), hits


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (a web worker cannot run from file://)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.skip("chromium/chromedriver missing: run scripts/setup.sh --test as root")
    # Selenium Manager must not try to download a driver: we name Debian's.
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(PAGE_TIMEOUT_S)
    try:
        yield driver
    finally:
        driver.quit()


def _page_urls(site: Path, base_url: str) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return [urljoin(base_url, "" if p == "." else f"{p}/") for p in pages]


def _same_site_resources(driver: Any, base_url: str) -> set[str]:
    """Every same-site URL the page links to or loads (links, images, scripts, styles)."""
    urls: list[str] = driver.execute_script(
        """
        const out = [];
        for (const el of document.querySelectorAll('a[href], link[href]')) out.push(el.href);
        for (const el of document.querySelectorAll('img[src], script[src]')) out.push(el.src);
        return out;
        """
    )
    host = urlparse(base_url).netloc
    return {urldefrag(u).url for u in urls if urlparse(u).netloc == host}


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=PAGE_TIMEOUT_S) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def _severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


@pytest.mark.slow  # a browser over ~45 pages: out of the fast loop, in the CI run
def test_every_page_loads_cleanly(site: Path, base_url: str, browser: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    pages = _page_urls(site, base_url)
    assert len(pages) >= 30, pages
    errors: dict[str, list[str]] = {}
    resources: dict[str, str] = {}  # resource -> first page that references it
    for url in pages:
        browser.get(url)
        WebDriverWait(browser, PAGE_TIMEOUT_S).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        # Images must have decoded, not just been requested.
        broken_images = browser.execute_script(
            "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.src)"
        )
        problems = _severe(browser) + [f"image did not load: {s}" for s in broken_images]
        if problems:
            errors[url] = problems
        for resource in _same_site_resources(browser, base_url):
            resources.setdefault(resource, url)
    assert not errors, json.dumps(errors, indent=2)
    broken = {r: page for r, page in resources.items() if _status(r) != 200}
    assert not broken, "same-site links that do not load (resource: page):\n" + "\n".join(
        f"  {r}  (on {p})" for r, p in sorted(broken.items())
    )


@pytest.mark.slow
def test_search_finds_worker_count(base_url: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base_url)
    wait = WebDriverWait(browser, SEARCH_TIMEOUT_S)
    # At desktop width Material shows its search box in the header; typing runs the query.
    box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "input.md-search__input")))
    box.click()
    box.send_keys(SEARCH_TERM)
    items = wait.until(
        ec.presence_of_all_elements_located((By.CSS_SELECTOR, "li.md-search-result__item"))
    )
    assert items
    meta = browser.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text
    assert "matching" in meta.lower(), meta
    texts = " ".join(item.text for item in items)
    assert SEARCH_TERM in texts, texts[:500]
    assert not _severe(browser)
