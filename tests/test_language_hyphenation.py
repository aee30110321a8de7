"""Russian and Spanish print editions are hyphenated by their own dictionaries (issue 23): the
PDF of a Russian or Spanish document breaks long words where that language's patterns allow
(Pyphen's, the dictionaries LibreOffice ships), under the print shop's rules of
tests/test_hyphenation.py. Before, folio hyphenated only the letters a-z: no Cyrillic word, no
Spanish word with an accent ("información") was ever broken. The text added to the test
documents is our own."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT, make_project, run_folio
from test_hyphenation import HYPHENS, paragraphs, problems

DOCUMENTS = ROOT / "tests" / "documents" / "languages"
# Paragraphs of long words, appended to the test documents (ours, as they are).
MORE = {language: (DOCUMENTS / f"long-words.{language}.txt").read_text(encoding="utf-8") for language in ("ru", "es")}
LETTERS = {"ru": "[а-яё]", "es": "[a-záéíóúñü]"}


def _broken_words(paras: list[list[str]]) -> list[tuple[str, str]]:
    """(head, tail) of every word the PDF breaks at a line's end."""
    found = []
    for para in paras:
        for line, following in zip(para, para[1:], strict=False):
            if line[-1] in HYPHENS and line[-2:-1].isalpha() and following[:1].isalpha():
                found.append((re.search(rf"(\w+)[{HYPHENS}]$", line).group(1), re.match(r"\w+", following).group(0)))
    return found


def test_the_soft_hyphens_of_each_language():
    """Where folio lets the print edition break a word, by the language's dictionary: a
    lower-case word of ten letters or more, of any script; never a capitalised one, nor Chinese."""
    from folio.writers.hyphenate import SOFT, hyphenate

    def marked(text: str, language: str) -> str:
        return hyphenate(text, language).replace(SOFT, "-")

    assert marked("Международная и международная организация", "ru") == \
        "Международная и меж-ду-на-род-ная орга-ни-за-ция"
    assert marked("Información: la información internacional", "es") == \
        "Información: la infor-ma-ción inter-na-cio-nal"
    assert marked("国际移民组织汇编了第一节所载的数据", "zh") == "国际移民组织汇编了第一节所载的数据"
    assert marked("the international organization", "en") == "the inter-na-tional orga-ni-za-tion"


@pytest.mark.slow
@pytest.mark.parametrize("language", ["ru", "es"])
def test_words_break_where_the_language_s_dictionary_allows(tmp_path, language):
    import pyphen
    from pypdf import PdfReader

    source = make_project(tmp_path, (DOCUMENTS / f"{language}.md").read_text(encoding="utf-8") + "\n" + MORE[language])
    done = run_folio("build", source, "-f", "pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "build" / "report.pdf"
    assert PdfReader(str(pdf)).trailer["/Root"]["/Lang"] == language       # the language reached WeasyPrint
    paras = paragraphs(pdf)
    broken = _broken_words(paras)
    assert broken, "no word of the language is hyphenated"
    dictionary = pyphen.Pyphen(lang=language)
    for head, tail in broken:
        word = head + tail
        assert re.fullmatch(f"{LETTERS[language]}+", word), word          # a word of the language, lower-case
        assert len(head) in dictionary.positions(word), f"{head}-{tail}: not a break of the {language} dictionary"
    found, _, _ = problems(paras)
    assert found == []
