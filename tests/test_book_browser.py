"""The built book, as a reader gets it, with no network.

The module builds the book from scratch into a temporary folder as `make book` does
(tools/build_book.py: one Sphinx site per language and the bilingual landing site, -W, so the
build itself must be warning-free), serves it on 127.0.0.1 from a thread, and checks:
* the HTML: no script, stylesheet or image is loaded from another host; every page declares its
  language and its twin (`<html lang>`, hreflang alternates); every twin link and every link
  between the sites answers 200; the footer carries the licences; each language site searches
  with its own stemmer;
* in headless Chromium, with every host except 127.0.0.1 made unresolvable: equations are
  typeset by MathJax, figures load, saved widgets are drawn, the interface (search box,
  "Contents", Previous/Next, download and full-screen buttons) speaks the page's language, and
  no Previous/Next link leaves the page's language; code cells, their outputs and fenced blocks
  fit the column at 1280 px; and no display equation overflows its box (wider than the
  column, or clipped at the top or bottom, as the theme's `overflow: auto` once cut every
  transpose of (5.9) to "|"), at 1280 px and on a 390 px phone. The served pages get a small probe script
  appended that writes what it sees into the DOM, which `--dump-dom` returns.
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
BUILD_BOOK = ROOT / "tools" / "build_book.py"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # the site must work offline: no host but the test server can even be resolved
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--virtual-time-budget=30000",
]
DESKTOP, PHONE = "1280,2000", "390,1800"  # --window-size of the two readers
LOADING_ATTRIBUTE = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
                     "audio": "src", "embed": "src", "object": "data"}
PROBE_QUERY = "w2vprobe"
PROBE_SCRIPT = b"""<script>
// a button's tooltip: Bootstrap moves `title` to data-bs-original-title once it starts
const tip = el => el ? (el.getAttribute("data-bs-original-title") || el.title || el.getAttribute("aria-label")) : null;
window.addEventListener("load", () => setTimeout(() => {
  const images = [...document.querySelectorAll("article img")];
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  const report = {
    lang: document.documentElement.lang,
    images: images.length,
    broken_images: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute("src")),
    math_containers: document.querySelectorAll("mjx-container").length,
    math_errors: document.querySelectorAll("mjx-merror, [data-mjx-error]").length,
    code_blocks: document.querySelectorAll("div.cell_input pre").length,
    scrolling_code: [...document.querySelectorAll("article pre")]
      .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.textContent.split("\\n")[0].slice(0, 60)),
    display_math: document.querySelectorAll("div.math mjx-container").length,
    // an equation wider than its box (a scroll bar), or taller (its top or bottom cut off)
    overflowing_math: [...document.querySelectorAll("div.math mjx-container")]
      .filter(m => m.scrollWidth > m.clientWidth + 1 || m.scrollHeight > m.clientHeight + 1)
      .map(m => {
        const box = m.closest("div.math");
        const number = box.querySelector(".eqno");
        const name = number ? number.textContent.trim().replace(/[^0-9.()]/g, "") : box.id || "?";
        return `${name} ${m.scrollWidth}x${m.scrollHeight} in ${m.clientWidth}x${m.clientHeight}`;
      }),
    // MathJax draws a transpose or a hat above the box it computes, so a box that clips
    // (overflow other than visible) needs room at the top, or a transpose is cut to a bar
    unpadded_math: [...document.querySelectorAll("div.math mjx-container")]
      .filter(m => getComputedStyle(m).overflowY !== "visible"
                   && parseFloat(getComputedStyle(m).paddingTop) < 4).length,
    widget_views: views.length,
    drawn_widgets: views.filter(v => {
      const area = v.previousElementSibling;
      return area && area.classList.contains("widget-subarea") && area.querySelector(".jupyter-widgets");
    }).length,
    foreign_requests: performance.getEntriesByType("resource").map(r => r.name)
      .filter(url => new URL(url).host !== location.host),
    missing_files: performance.getEntriesByType("resource").filter(r => r.responseStatus >= 400).map(r => r.name),
    prev_next: [...document.querySelectorAll("a.left-prev, a.right-next")].map(a => new URL(a.href).pathname),
    interface: {
      search: (document.querySelector("input[name='q']") || {}).placeholder || null,
      contents: ((document.querySelector("#pst-page-navigation-heading-2") || {}).textContent || "").trim(),
      prev_next: [...document.querySelectorAll(".prev-next-subtitle")].map(p => p.textContent.trim()),
      download: [...document.querySelectorAll(".dropdown-download-buttons .dropdown-item")].map(tip),
      fullscreen: tip(document.querySelector(".btn-fullscreen-button")),
      sidebar: tip(document.querySelector(".sidebar-toggle.primary-toggle.btn")),
      permalink: tip(document.querySelector("h1 a.headerlink")),
    },
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
        [sys.executable, str(BUILD_BOOK), str(BOOK), "--output", str(out)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, f"the book does not build cleanly:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
    return out / "html"


@pytest.fixture(scope="module")
def server(site):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SiteHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


LANGS = ("es", "en")
INTERFACE = {  # what sphinx-book-theme / pydata-sphinx-theme show, per language
    "es": {"search": "Buscar en este libro…", "contents": "Contenido", "prev_next": {"anterior", "siguiente"},
           "download": "Descargar archivo fuente", "fullscreen": "Modo de pantalla completa",
           "sidebar": "Mostrar u ocultar el índice del libro", "permalink": "Enlace a este encabezado"},
    "en": {"search": "Search this book…", "contents": "Contents", "prev_next": {"previous", "next"},
           "download": "Download source file", "fullscreen": "Fullscreen mode",
           "sidebar": "Toggle primary sidebar", "permalink": "Link to this heading"},
}


def content_pages(site: Path) -> list[str]:
    """Pages a reader visits (not Sphinx's search/index pages, nor a language site's redirecting
    index.html), as site-relative paths."""
    skip = {"search.html", "genindex.html"}
    pages = []
    for path in site.rglob("*.html"):
        relative = path.relative_to(site)
        if any(part.startswith("_") for part in relative.parts) or path.name in skip:
            continue
        if relative.parts[0] in LANGS and relative.parts[1:] == ("index.html",):
            continue
        pages.append(relative.as_posix())
    return sorted(pages)


def page_lang(page: str) -> str:
    return page[:2] if page.startswith(("es/", "en/")) else "mul"


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
    for lang in LANGS:  # each language is a site of its own, with its own search
        assert (site / lang / "search.html").is_file() and (site / lang / "searchindex.js").is_file()
        redirect = (site / lang / "index.html").read_text(encoding="utf-8")
        assert 'url=00_welcome.html"' in redirect
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


def test_each_language_site_searches_with_its_own_stemmer(site):
    spanish = (site / "es" / "_static" / "language_data.js").read_text(encoding="utf-8")
    english = (site / "en" / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "SpanishStemmer" in spanish and "SpanishStemmer" not in english
    assert "LANGUAGE: 'es'" in (site / "es" / "_static" / "documentation_options.js").read_text(encoding="utf-8")
    assert "LANGUAGE: 'en'" in (site / "en" / "_static" / "documentation_options.js").read_text(encoding="utf-8")


def test_every_link_and_asset_points_to_a_file(site):
    """Links inside and across the sites (glossary, landing cards, twins) and the files a page
    loads (favicon, styles, scripts, images) reach a built file."""
    checked, broken = 0, []
    for page in content_pages(site):
        for tag, attrs in tags((site / page).read_text(encoding="utf-8")):
            href = attrs.get("href", "") if tag in ("a", "link") else attrs.get(LOADING_ATTRIBUTE.get(tag, ""), "")
            if not href or re.match(r"^([a-z]+:|#|//)", href):
                continue
            checked += 1
            target = (site / page).parent / href.split("#")[0].split("?")[0]
            if not target.resolve().is_file():
                broken.append(f"{page}: {href}")
    assert broken == []
    assert checked > 20 * len(content_pages(site))


def test_the_footer_carries_the_licences(site):
    html = (site / "es" / "00_welcome.html").read_text(encoding="utf-8")
    footer = html[html.index("<footer"):]
    assert "MIT" in footer and "CC BY 4.0" in footer


def _open_in_chromium(url: str, screenshot: Path, profile: Path, window: str = DESKTOP) -> dict:
    result = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--window-size={window}", f"--user-data-dir={profile}",
         f"--screenshot={screenshot}", "--dump-dom", url],
        capture_output=True, text=True, timeout=180,
    )
    found = re.search(r'<pre id="w2v-probe">(.*?)</pre>', result.stdout, flags=re.DOTALL)
    assert found, f"the probe did not report for {url}:\n{result.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


def _visit_every_page(site, server, profiles: Path, window: str, suffix: str) -> dict[str, dict]:
    if CHROMIUM is None:
        pytest.skip("chromium not found: apt-get install chromium")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def visit(index_and_page):
        index, page = index_and_page
        shot = SCREENSHOTS / (page.removesuffix(".html").replace("/", "_") + suffix + ".png")
        return page, _open_in_chromium(f"{server}{page}?{PROBE_QUERY}", shot,
                                       profiles / str(index), window)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(visit, enumerate(content_pages(site))))


@pytest.fixture(scope="module")
def browser_reports(site, server, tmp_path_factory) -> dict[str, dict]:
    return _visit_every_page(site, server, tmp_path_factory.mktemp("chromium"), DESKTOP, "")


@pytest.fixture(scope="module")
def phone_reports(site, server, tmp_path_factory) -> dict[str, dict]:
    """The same pages in a 390 px wide window (a phone), screenshots named *_390.png."""
    return _visit_every_page(site, server, tmp_path_factory.mktemp("chromium_phone"), PHONE, "_390")


def test_browser_sees_no_foreign_request_no_missing_file_and_the_right_language(browser_reports):
    for page, report in browser_reports.items():
        assert report["foreign_requests"] == [], page
        assert report["missing_files"] == [], page
        assert report["lang"] == page_lang(page), page


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


def test_code_cells_fit_the_column_without_scrolling(browser_reports):
    """A line of 88 characters (the legibility limit) in a code cell, a printed output or a
    fenced block fits the text column at 1280 px."""
    assert browser_reports["en/02_one_hot_to_dense.html"]["code_blocks"] >= 1
    for page, report in browser_reports.items():
        assert report["scrolling_code"] == [], (page, report["scrolling_code"])


def test_display_equations_fit_their_box_at_1280_px(browser_reports):
    """No display equation needs a scroll bar or has its top or bottom cut off at 1280 px."""
    assert browser_reports["en/05_softmax_model.html"]["display_math"] >= 10
    unpadded = {page: report["unpadded_math"] for page, report in browser_reports.items()
                if report["unpadded_math"]}
    assert unpadded == {}, f"display math boxes that clip their top (w2vbook.css): {unpadded}"
    found = {page: report["overflowing_math"] for page, report in browser_reports.items()
             if report["overflowing_math"]}
    assert found == {}, "break these equations into aligned lines:\n" + json.dumps(found, indent=1)


def test_display_equations_fit_their_box_on_a_phone(phone_reports):
    """The same at 390 px: a long equation is broken into lines (\\begin{aligned}), so a
    reader on a phone sees all of it without scrolling sideways."""
    assert phone_reports["en/05_softmax_model.html"]["display_math"] >= 10
    found = {page: report["overflowing_math"] for page, report in phone_reports.items()
             if report["overflowing_math"]}
    assert found == {}, "break these equations into aligned lines:\n" + json.dumps(found, indent=1)


def test_saved_widgets_are_drawn(browser_reports):
    assert browser_reports["en/00_welcome.html"]["widget_views"] >= 1
    for page, report in browser_reports.items():
        assert report["drawn_widgets"] == report["widget_views"], (page, report)


def interface_problems(lang: str, interface: dict) -> list[str]:
    """Every interface string the probe saw that is not the ``lang`` one."""
    expected = INTERFACE[lang]
    problems = [f"{key}: {interface[key]!r}" for key in ("search", "contents", "fullscreen", "sidebar", "permalink")
                if interface[key] != expected[key]]
    if set(interface["prev_next"]) - expected["prev_next"] or not interface["prev_next"]:
        problems.append(f"prev_next: {interface['prev_next']!r}")
    if expected["download"] not in interface["download"]:
        problems.append(f"download: {interface['download']!r}")
    return problems


def crossing_links(page: str, paths: list[str]) -> list[str]:
    """Previous/Next targets (URL paths) of ``page`` that are not in its language."""
    def lang_of(path: str) -> str:
        head = path.lstrip("/").split("/")[0]
        return head if head in LANGS and path.lstrip("/") != head else "mul"
    return [path for path in paths if lang_of(path) != page_lang(page)]


def test_the_interface_speaks_the_page_language(browser_reports):
    for lang in LANGS:
        for page in (f"{lang}/00_welcome.html", f"{lang}/01_vectors.html"):
            assert interface_problems(lang, browser_reports[page]["interface"]) == [], page


def test_previous_and_next_stay_in_the_page_language(browser_reports):
    for page, report in browser_reports.items():
        assert crossing_links(page, report["prev_next"]) == [], page
    chapters = [p for p in browser_reports if p.startswith(("es/", "en/"))]
    links = sum(len(browser_reports[p]["prev_next"]) for p in chapters)
    assert links == 2 * len(chapters) - 2 * len(LANGS)  # all but each site's first Previous and last Next


def test_the_checks_catch_a_foreign_interface_and_a_crossing_link():
    spanish = {"search": "Buscar en este libro…", "contents": "Contenido", "prev_next": ["anterior", "siguiente"],
               "download": ["Descargar archivo fuente", "Imprimir en PDF"], "fullscreen": "Modo de pantalla completa",
               "sidebar": "Mostrar u ocultar el índice del libro", "permalink": "Enlace a este encabezado"}
    assert interface_problems("es", spanish) == []
    assert len(interface_problems("en", spanish)) == 7
    assert interface_problems("es", {**spanish, "prev_next": ["anterior", "next"]}) == ["prev_next: ['anterior', 'next']"]
    assert crossing_links("es/02_x.html", ["/es/01_x.html", "/es/03_x.html"]) == []
    assert crossing_links("es/02_x.html", ["/es/01_x.html", "/en/00_welcome.html"]) == ["/en/00_welcome.html"]
    assert crossing_links("en/00_welcome.html", ["/glossary.html"]) == ["/glossary.html"]
