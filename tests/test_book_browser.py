"""The built book, as a reader gets it, with no network.

The module builds the book from scratch into a temporary folder (`jupyter-book build -W`, so
the build itself must be warning-free), serves it on 127.0.0.1 from a thread, and checks:
* the HTML: no script, stylesheet or image is loaded from another host; every page declares its
  language and its twin (`<html lang>`, hreflang alternates); every twin link answers 200;
  the footer carries the licences;
* in headless Chromium, with every host except 127.0.0.1 made unresolvable: equations are
  typeset by MathJax, figures load, saved widgets are drawn. The served pages get a small probe
  script appended that writes what it sees into the DOM, which `--dump-dom` returns.
Screenshots of every page go to artifacts/screenshots/ (look at them after changing the theme).
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # the site must work offline: no host but the test server can even be resolved
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--window-size=1280,2000", "--virtual-time-budget=30000",
]
LOADING_ATTRIBUTE = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
                     "audio": "src", "embed": "src", "object": "data"}
PROBE_QUERY = "w2vprobe"
PROBE_SCRIPT = b"""<script>
window.addEventListener("load", () => setTimeout(() => {
  const images = [...document.querySelectorAll("article img")];
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  const report = {
    lang: document.documentElement.lang,
    images: images.length,
    broken_images: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute("src")),
    math_containers: document.querySelectorAll("mjx-container").length,
    math_errors: document.querySelectorAll("mjx-merror, [data-mjx-error]").length,
    widget_views: views.length,
    drawn_widgets: views.filter(v => {
      const area = v.previousElementSibling;
      return area && area.classList.contains("widget-subarea") && area.querySelector(".jupyter-widgets");
    }).length,
    foreign_requests: performance.getEntriesByType("resource").map(r => r.name)
      .filter(url => new URL(url).host !== location.host),
    missing_files: performance.getEntriesByType("resource").filter(r => r.responseStatus >= 400).map(r => r.name),
  };
  const out = document.createElement("pre");
  out.id = "w2v-probe";
  out.textContent = JSON.stringify(report);
  document.body.appendChild(out);
}, 5000));
</script>"""


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files; HTML asked for with ?w2vprobe gets the probe script appended."""

    def log_message(self, *args):  # keep the test output clean
        pass

    def send_head(self):
        if PROBE_QUERY not in self.path:
            return super().send_head()
        path = Path(self.translate_path(self.path))
        body = path.read_bytes().replace(b"</body>", PROBE_SCRIPT + b"</body>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _BytesFile(body)


class _BytesFile:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book_build")
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(BOOK), "--path-output", str(out), "-W", "--keep-going"],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, f"the book does not build cleanly:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
    return out / "_build" / "html"


@pytest.fixture(scope="module")
def server(site):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SiteHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def content_pages(site: Path) -> list[str]:
    """Pages a reader visits (not Sphinx's search/index pages), as site-relative paths."""
    skip = {"search.html", "genindex.html"}
    return sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith("_") and p.name not in skip
    )


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_the_site_has_every_page(site):
    pages = content_pages(site)
    assert {"index.html", "glossary.html", "es/00_welcome.html", "en/00_welcome.html"} <= set(pages)
    es = {p[3:] for p in pages if p.startswith("es/")}
    assert es == {p[3:] for p in pages if p.startswith("en/")}


def test_nothing_is_loaded_from_another_host(site):
    remote = re.compile(r"^(https?:)?//", re.IGNORECASE)
    offenders = []
    for page in content_pages(site) + ["search.html"]:
        for tag, attrs in tags((site / page).read_text(encoding="utf-8")):
            url = attrs.get(LOADING_ATTRIBUTE.get(tag, ""))
            if tag == "link" and attrs.get("rel") in ("stylesheet", "preload", "modulepreload", "icon"):
                url = attrs.get("href", "")
            if url and remote.match(url):
                offenders.append(f"{page}: <{tag}> {url}")
    assert offenders == []


def test_pages_declare_language_and_twin(site):
    for page in content_pages(site):
        html = (site / page).read_text(encoding="utf-8")
        lang = page.split("/")[0] if page.startswith(("es/", "en/")) else "mul"
        assert f'<html lang="{lang}"' in html, page
        if lang == "mul":
            continue
        twin_lang = "en" if lang == "es" else "es"
        alternates = {a["hreflang"]: a["href"] for t, a in tags(html) if t == "link" and a.get("rel") == "alternate"}
        assert set(alternates) == {"es", "en"}, page
        assert urljoin(page, alternates[twin_lang]) == twin_lang + page[2:], page
        assert 'class="w2v-twin-link"' in html, page


def test_every_twin_link_answers_200(site, server):
    checked = 0
    for page in content_pages(site):
        for tag, attrs in tags((site / page).read_text(encoding="utf-8")):
            if attrs.get("hreflang") and attrs.get("href"):
                with urllib.request.urlopen(urljoin(server + page, attrs["href"]), timeout=10) as response:
                    assert response.status == 200, (page, attrs["href"])
                checked += 1
    assert checked >= 3 * len([p for p in content_pages(site) if p.startswith(("es/", "en/"))])


def test_the_footer_carries_the_licences(site):
    html = (site / "es" / "00_welcome.html").read_text(encoding="utf-8")
    footer = html[html.index("<footer"):]
    assert "MIT" in footer and "CC BY 4.0" in footer


def _open_in_chromium(url: str, screenshot: Path, profile: Path) -> dict:
    result = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={screenshot}", "--dump-dom", url],
        capture_output=True, text=True, timeout=180,
    )
    found = re.search(r'<pre id="w2v-probe">(.*?)</pre>', result.stdout, flags=re.DOTALL)
    assert found, f"the probe did not report for {url}:\n{result.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


@pytest.fixture(scope="module")
def browser_reports(site, server, tmp_path_factory) -> dict[str, dict]:
    if CHROMIUM is None:
        pytest.skip("chromium not found: apt-get install chromium")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    profiles = tmp_path_factory.mktemp("chromium")
    pages = content_pages(site)

    def visit(index_and_page):
        index, page = index_and_page
        shot = SCREENSHOTS / (page.removesuffix(".html").replace("/", "_") + ".png")
        return page, _open_in_chromium(f"{server}{page}?{PROBE_QUERY}", shot, profiles / str(index))

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(visit, enumerate(pages)))


def test_browser_sees_no_foreign_request_no_missing_file_and_the_right_language(browser_reports):
    for page, report in browser_reports.items():
        assert report["foreign_requests"] == [], page
        assert report["missing_files"] == [], page
        assert report["lang"] == (page[:2] if page.startswith(("es/", "en/")) else "mul"), page


def test_equations_are_typeset_by_mathjax(site, browser_reports):
    pages_with_math = [p for p in browser_reports if 'class="math' in (site / p).read_text(encoding="utf-8")]
    assert "es/00_welcome.html" in pages_with_math and "en/00_welcome.html" in pages_with_math
    for page in pages_with_math:
        report = browser_reports[page]
        assert report["math_containers"] > 0 and report["math_errors"] == 0, (page, report)


def test_figures_load(browser_reports):
    assert browser_reports["es/00_welcome.html"]["images"] >= 1
    for page, report in browser_reports.items():
        assert report["broken_images"] == [], page


def test_saved_widgets_are_drawn(browser_reports):
    assert browser_reports["en/00_welcome.html"]["widget_views"] >= 1
    for page, report in browser_reports.items():
        assert report["drawn_widgets"] == report["widget_views"], (page, report)
