"""Each stylesheet parsed once per process (folio/layout/weasy/stylesheets.py): a layout that
takes a sheet from the cache gives the PDF a fresh parse gives; a changed file, a sheet that
imports another and the page's own <style> are read as they are now."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from folio.layout.weasy import fixes, stylesheets

FACE = Path(__file__).resolve().parents[1] / "styles" / "fonts"


def _font() -> Path:
    return sorted(FACE.glob("*.ttf"))[0]


def _page(body: str, links=("a.css",), style: str = "") -> str:
    heads = "".join(f'<link rel="stylesheet" href="{name}">' for name in links)
    return f"<html><head>{heads}<style>{style}</style></head><body>{body}</body></html>"


def _pdf(where: Path, html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    return HTML(string=html, base_url=where.as_uri() + "/").write_pdf(font_config=FontConfiguration())


def _parses(monkeypatch) -> list:
    """The sheets WeasyPrint parses from now on (each CSS made), by URL or as a string."""
    import weasyprint
    made, real = [], weasyprint.CSS.__init__

    def counted(self, *args, **kwargs):
        made.append(kwargs.get("url") or "<style>")
        real(self, *args, **kwargs)
    monkeypatch.setattr(weasyprint.CSS, "__init__", counted)
    return made


@pytest.fixture
def sheets(tmp_path, monkeypatch):
    fixes()
    monkeypatch.setattr(stylesheets, "_parsed", {})       # this test's cache, from empty
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "face.ttf").write_bytes(_font().read_bytes())
    (tmp_path / "a.css").write_text(
        '@font-face { font-family: Mine; src: url(face.ttf); }\n'
        '@page { size: 100mm 80mm; margin: 10mm; @bottom-center { content: counter(page, upper-roman); } }\n'
        '@counter-style thumbs { system: cyclic; symbols: "*"; suffix: " "; }\n'
        'body { font-family: Mine; font-size: 11pt; } li { list-style: thumbs; }\n', encoding="utf-8")
    return tmp_path


BODY = "<p>Migration and development</p><ol><li>one</li><li>two</li></ol>" * 12


def test_a_sheet_from_the_cache_gives_the_pdf_a_fresh_parse_gives(sheets, monkeypatch):
    made = _parses(monkeypatch)
    first = _pdf(sheets, _page(BODY, style="p { color: #036; }"))
    assert sorted(made) == ["<style>", (sheets / "a.css").as_uri()]
    made.clear()
    other = _pdf(sheets, _page("<p>Another page</p>", style="p { color: red; }"))   # another document between
    again = _pdf(sheets, _page(BODY, style="p { color: #036; }"))
    assert made == ["<style>"], "the link was parsed again, or the second <style> taken for the first"
    assert again == first
    assert other != first
    reader = PdfReader(io.BytesIO(again))
    # from the kept sheet: its @page size and margin box, its @font-face font and its counter style
    assert round(float(reader.pages[0].mediabox.width) * 25.4 / 72) == 100
    text = reader.pages[0].extract_text()
    assert text.rstrip().endswith("I") and text.count("*") >= 5   # page number in roman; the list markers
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("Mine" in font for font in fonts), fonts     # its @font-face, registered again from the cache


def test_a_changed_file_is_parsed_again(sheets):
    before = PdfReader(io.BytesIO(_pdf(sheets, _page(BODY))))
    css = sheets / "a.css"
    css.write_text(css.read_text(encoding="utf-8").replace("100mm 80mm", "120mm 80mm"), encoding="utf-8")
    after = PdfReader(io.BytesIO(_pdf(sheets, _page(BODY))))
    assert [round(float(r.pages[0].mediabox.width) * 25.4 / 72) for r in (before, after)] == [100, 120]


def test_a_sheet_that_imports_another_is_never_kept(sheets):
    (sheets / "b.css").write_text("p { font-size: 30pt; }", encoding="utf-8")
    (sheets / "c.css").write_text('@import "b.css";\n', encoding="utf-8")
    page = _page(BODY, links=("a.css", "c.css"))
    big = len(PdfReader(io.BytesIO(_pdf(sheets, page))).pages)
    (sheets / "b.css").write_text("p { font-size: 6pt; }", encoding="utf-8")   # c.css itself unchanged
    small = len(PdfReader(io.BytesIO(_pdf(sheets, page))).pages)
    assert small < big
    assert not any("c.css" in str(key) for key in stylesheets._parsed)
