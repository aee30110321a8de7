"""`folio corrigendum --since REV` on a report with a French version: one corrigendum per
language, each item placed in that language's own old pages (checked against pdftotext of the
old PDF of that language, never folio's page map), worded in its language, numbered alike, and
"Not applicable" where only the other language changed. The corrigendum's page has no running
head and carries the masthead.

The texts are written here: an English original of two chapters and its French version."""
from __future__ import annotations

import re
import subprocess

import pytest
from conftest import make_project, need, run_folio

pytestmark = pytest.mark.slow

ENGLISH = """---
title: Report on water and sanitation in rural areas
short-title: Water and sanitation
symbol: A/TEST/9
date: 2026-03-02
paragraph-numbers: true
---

# Introduction

The present report is submitted pursuant to General Assembly resolution 79/150, in which the Assembly \
requested the Secretary-General to report on progress in extending safe drinking water and basic sanitation \
to rural communities.

In 2025, some 2.2 billion people still lacked safely managed drinking water and 3.4 billion lacked \
safely managed sanitation, most of them in rural areas of sub-Saharan Africa and southern Asia.

# Conclusions

Member States may wish to take note of the present report and to consider the recomendations made in it \
when they review the targets on water and sanitation in July 2027.
"""

FRENCH = """---
title: Rapport sur l'eau et l'assainissement dans les zones rurales
short-title: Eau et assainissement
---

# Introduction

Le présent rapport est soumis en application de la résolution 79/150 de l'Assemblée générale, dans laquelle \
l'Assemblée a prié le Secrétaire général de lui rendre compte des progrès accomplis dans l'accès des \
communautés rurales à l'eau potable et aux services d'assainissement de base.

En 2025, quelque 2,2 milliards de personnes étaient encore privées d'eau potable gérée en toute sécurité \
et 3,4 milliards de services d'assainissement gérés en toute sécurité, pour la plupart dans les zones \
rurales de l'Afrique subsaharienne et de l'Asie du Sud.

# Conclusions

Les États Membres voudront peut-être prendre note du présent rapport et examiner les recommandations \
qui y figurent lorsqu'ils feront le point des cibles relatives à l'eau et à l'assainissement en juillet 2027.
"""


def _git(where, *args):
    subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args], cwd=where,
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Both versions issued (their PDFs kept), committed, corrected: a figure in both, a typo
    in the English only; then the corrigenda since the commit."""
    need("git")
    where = tmp_path_factory.mktemp("corrlang")
    source = make_project(where, ENGLISH)
    french = source.with_name("report.fr.md")
    french.write_text(FRENCH, encoding="utf-8")
    for built in (source, french):
        result = run_folio("build", built, "-f", "pdf", cwd=where)
        assert result.returncode == 0, result.stderr
    (where / "old.en.pdf").write_bytes((where / "build" / "report.pdf").read_bytes())
    (where / "old.fr.pdf").write_bytes((where / "build" / "fr" / "report.pdf").read_bytes())
    _git(where, "init", "-q")
    _git(where, "add", "source")
    _git(where, "commit", "-qm", "issued")
    source.write_text(ENGLISH.replace("3.4 billion", "3.5 billion").replace("recomendations", "recommendations"),
                      encoding="utf-8")
    french.write_text(FRENCH.replace("3,4 milliards", "3,5 milliards"), encoding="utf-8")
    result = run_folio("corrigendum", "--since", "HEAD", "source/report.md", cwd=where)
    assert result.returncode == 0, result.stderr
    return where, result.stdout


def sections(stdout: str) -> dict[str, list[str]]:
    """The printed items of each language ('original', 'fr'): their lines after '1. '."""
    found: dict[str, list[str]] = {}
    current = None
    for line in stdout.splitlines():
        head = re.match(r"(\w+): A/TEST/9/Corr\.1: \d+ item", line)
        if head:
            current = found.setdefault(head.group(1), [])
        elif current is not None and re.match(r"\d+\. ", line):
            current.append(line.split(" ", 1)[1])
    return found


def pdf_text(path, layout: bool = True) -> str:
    need("pdftotext")
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def line_in_old_pdf(pdf, opening: str, phrase: str) -> tuple[int, int]:
    """(page, line) of a phrase in the old PDF, as a reader counts: the page's printed number
    (its last line), and the line of the paragraph (1 = the line it opens on) the phrase begins on."""
    for page in pdf_text(pdf).split("\f"):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        number = lines[-1] if lines else ""
        opened = [i for i, line in enumerate(lines) if opening in line]
        if not opened:
            continue
        text, starts = "", []
        for line in lines[opened[0]:]:
            starts.append(len(text))
            text += line + " "
        return number, sum(1 for s in starts if s <= text.index(phrase))
    raise AssertionError(f"{opening!r} is not in {pdf}")


def guillemets(text: str) -> str:
    """French quotes as compared: « 3,4 » with or without its (narrow) spaces."""
    return re.sub(r"«[\s\u202f\u00a0]*", "«", re.sub(r"[\s\u202f\u00a0]*»", "»", text))


def test_each_language_places_its_items_in_its_own_pages(made):
    where, stdout = made
    found = sections(stdout)
    assert set(found) == {"original", "fr"}, stdout
    english, french = found["original"], found["fr"]
    assert len(english) == len(french) == 2, stdout

    page, line = line_in_old_pdf(where / "old.fr.pdf", "En 2025, quelque", "3,4 milliards")
    assert guillemets(french[0]) == f"Page {page}, paragraphe 2, ligne {line} — Au lieu de «3,4», lire «3,5»"
    page_en, line_en = line_in_old_pdf(where / "old.en.pdf", "In 2025, some", "3.4 billion")
    assert english[0] == f"Page {page_en}, paragraph 2, line {line_en} — For “3.4” read “3.5”"
    # the two languages break their lines apart: the items are not one language's places
    assert line != line_en, (line, line_en)


def test_an_english_only_change_is_not_applicable_in_french_at_the_same_number(made):
    where, stdout = made
    found = sections(stdout)
    page, line = line_in_old_pdf(where / "old.en.pdf", "Member States may", "recomendations")
    assert found["original"][1] == (f"Page {page}, paragraph 3, line {line} — For “recomendations” read"
                                    f" “recommendations”")
    assert found["fr"][1] == "Ne concerne pas le texte français."


def test_the_french_corrigendum_is_written_in_french(made):
    where, _ = made
    pdf = where / "build" / "fr" / "corrigendum" / "corrigendum.pdf"
    text = guillemets(" ".join(pdf_text(pdf, layout=False).split()))
    assert "A/TEST/9/Corr.1" in text
    assert "Rapport sur l'eau et l'assainissement dans les zones rurales" in text
    assert "Rectificatif" in text and "Corrigendum" not in text
    assert "Original : anglais" in text and "Distr. : générale" in text
    assert re.search(r"1\. Page \d+, paragraphe 2, ligne \d+ — Au lieu de «3,4», lire «3,5»", text), text
    assert "2. Ne concerne pas le texte français." in text
    english = " ".join(pdf_text(where / "build" / "corrigendum" / "corrigendum.pdf", layout=False).split())
    assert "Corrigendum" in english and "Original: English" in english
    assert "Rectificatif" not in english


def test_the_corrigendum_page_has_the_masthead_and_no_running_head(made):
    where, _ = made
    import pdfplumber
    for pdf in (where / "build" / "corrigendum" / "corrigendum.pdf",
                where / "build" / "fr" / "corrigendum" / "corrigendum.pdf"):
        with pdfplumber.open(pdf) as doc:
            page = doc.pages[0]
            words = page.extract_words()
            symbol = next(w for w in words if w["text"] == "A/TEST/9/Corr.1")
            # the first words of the page are the symbol's, at the right: no running head over it
            assert min(w["top"] for w in words) == pytest.approx(symbol["top"], abs=1)
            assert symbol["x0"] > page.width / 2
            titles = ("Water and sanitation", "Eau et assainissement", "Report on water", "Rapport sur")
            above = " ".join(w["text"] for w in words if w["top"] < symbol["top"] + 1)
            assert not any(title.split()[0] in above for title in titles), above
            # the distribution, the date and the original language stacked at the right
            distr = next(w for w in words if w["text"].startswith("Distr."))
            assert distr["x0"] > page.width / 2 and distr["top"] > symbol["top"]
            # the word "Corrigendum"/"Rectificatif" centred
            word = next(w for w in words if w["text"] in ("Corrigendum", "Rectificatif"))
            assert abs((word["x0"] + word["x1"]) / 2 - page.width / 2) < 40


def test_the_word_edition_sets_the_masthead_at_the_right(made):
    where, _ = made
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    paragraphs = docx.Document(str(where / "build" / "fr" / "corrigendum" / "corrigendum.docx")).paragraphs
    symbol = next(p for p in paragraphs if p.text == "A/TEST/9/Corr.1")
    assert symbol.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    issue = next(p for p in paragraphs if p.text.startswith("Distr.") and "générale" in p.text)
    assert issue.style.paragraph_format.left_indent > paragraphs[0].part.document.sections[0].page_width / 4


def test_the_word_edition_sets_the_title_and_the_word_corrigendum_as_print_does(made):
    """Under the masthead's rule the corrected document's title in its own case (not a chapter's
    capitals), and "Rectificatif" centred, in the Word file as in the PDF."""
    where, _ = made
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    paragraphs = docx.Document(str(where / "build" / "fr" / "corrigendum" / "corrigendum.docx")).paragraphs
    title = next(p for p in paragraphs if p.text.startswith("Rapport sur"))

    def inherited(style, tag):      # a setting as the style chain gives it
        while style is not None:
            found = style.element.find(f".//{qn(tag)}")
            if found is not None:
                return found
            style = style.base_style
        return None

    caps = inherited(title.style, "w:caps")
    assert caps is None or caps.get(qn("w:val")) in ("0", "false")
    assert inherited(title.style, "w:top") is not None          # the rule that closes the masthead
    word = next(p for p in paragraphs if p.text == "Rectificatif")
    assert inherited(word.style, "w:jc").get(qn("w:val")) == "center"
    assert word.alignment in (None, WD_ALIGN_PARAGRAPH.CENTER)
