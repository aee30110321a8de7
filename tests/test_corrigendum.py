"""`folio corrigendum`: five corrections of the seed report, each item checked against the old
PDF's own text (pdftotext -layout), never against folio's page map; the corrigendum's PDF,
DOCX and HTML read back with the items in order; bad input is one located line.

The seed has no footnote and no table: the old version is the seed with one of each added
(written here), the new one has the five corrections."""
from __future__ import annotations

import re
import subprocess

import pytest
from conftest import REPORT, make_project, need, run_folio

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
NOTE = "The consultations were held online and in six regional meetings between January and March 2015."
NEW_PARAGRAPH = ("The meeting then heard a short summary of the regional consultations held in Africa, Asia"
                 " and Latin America during the first weeks of 2017.")
DELETED = "UNHCR was following three tracks for implementing the CRRF."


def old_text() -> str:
    text = REPORT.read_text(encoding="utf-8")
    text = _once(text, "had provided input into the process.", "had provided input into the process.[^input]")
    text = _once(text, "# Contributing to the workplan", "Table: Informal thematic sessions announced for 2017"
                 " {#tbl-sessions}\n\n| Session | Place | Month |\n|---|---|---|\n| First | Geneva | May 2017 |\n"
                 "| Second | New York | June 2017 |\n| Third | Geneva | July 2017 |\n\n# Contributing to the workplan")
    return _once(text, "*[AU]:", f"[^input]: {NOTE}\n\n*[AU]:")


def new_text(old: str) -> str:
    text = _once(old, "seven million people", "eight million people")
    text = _once(text, " " + DELETED, "")
    text = _once(text, "about migrants and migration.\n", f"about migrants and migration.\n\n{NEW_PARAGRAPH}\n")
    text = _once(text, "January and March 2015.", "January and March 2016.")
    text = _once(text, "| Second | New York | June 2017 |", "| Second | New York | September 2017 |")
    # two more: a word where a paragraph runs on to the next page, and a chapter's title,
    # which the contents show too
    text = _once(text, "the CRRF would encourage", "the CRRF would promote")
    return _once(text, "# Contributing to the workplan for", "# Contributing to the work plan for")


def _once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The old version built (its PDF kept as old.pdf), then corrected, then the corrigendum."""
    where = tmp_path_factory.mktemp("corrigendum")
    source = make_project(where, old_text())
    built = run_folio("build", source, "-f", "pdf", cwd=where)
    assert built.returncode == 0, built.stderr
    (where / "old.pdf").write_bytes((where / "build" / "report.pdf").read_bytes())
    (where / "old.md").write_text(old_text(), encoding="utf-8")
    source.write_text(new_text(old_text()), encoding="utf-8")
    result = run_folio("corrigendum", "old.md", "source/report.md", cwd=where)
    assert result.returncode == 0, result.stderr
    return where, result.stdout


def items(stdout: str) -> list[tuple[str, str, str]]:
    """(place, operation, new text) of each printed item."""
    found = []
    for line in stdout.splitlines():
        match = re.match(r"(\d+)\. (.*?) — (.*)$", line)
        if match:
            found.append([match.group(2), match.group(3), ""])
        elif line.startswith("   ") and found:
            found[-1][2] = line.strip()
    return [tuple(item) for item in found]


def old_pages(where) -> dict[str, list[str]]:
    """The old PDF's pages by their printed number (the last line of each page)."""
    need("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(where / "old.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = {}
    for page in text.split("\f"):
        lines = [line for line in page.splitlines() if line.strip()]
        if lines:
            pages[lines[-1].strip()] = lines
    return pages


def openings() -> list[str]:
    """The first words of every paragraph of the old body, as the source has them."""
    body = old_text().split("\n---\n", 1)[1]
    out = []
    for block in body.split("\n\n"):
        block = re.sub(r"\{gap[^}]*\}\s*", "", block.strip())
        if block and not block.startswith(("#", "|", "*[", "[^", "Table:")):
            out.append(" ".join(block.split()[:4]))
    return out


def _plain(line: str) -> str:
    return line.strip().removeprefix("[…]").strip()


def paragraph_on(lines: list[str], opening: str) -> int:
    """The index of the line the paragraph opening with these words starts on."""
    return next(i for i, line in enumerate(lines) if _plain(line).startswith(opening))


def rank_on(lines: list[str], opening: str) -> int:
    """Which paragraph beginning on the page this is (1 = the first)."""
    begun = [o for o in openings() if any(_plain(line).startswith(o) for line in lines)]
    return begun.index(opening) + 1


def line_of(lines: list[str], start: int, phrase: str) -> int:
    """The line (1 = the paragraph's first) on which the phrase begins, the paragraph's lines
    joined as a reader reads them (a word broken at a line's end joined again)."""
    text, starts = "", []
    for line in lines[start:]:
        starts.append(len(text))
        line = line.strip()
        text += line[:-1] if line.endswith("\u2010") else line + " "
    at = text.index(phrase)
    return sum(1 for s in starts if s <= at)


pytestmark = pytest.mark.slow


def test_five_corrections_are_placed_on_the_old_pages(made):
    where, stdout = made
    found = items(stdout)
    assert len(found) == 8, stdout
    pages = old_pages(where)
    by_operation = {operation.split(" ", 1)[0]: (place, operation, text) for place, operation, text in found}

    place, operation, _ = next(i for i in found if "“seven”" in i[1])
    assert operation == "For “seven” read “eight”"
    lines = pages["3"]
    start = paragraph_on(lines, "Before introducing the panellists,")
    assert place == (f"Page 3, {ORDINALS[rank_on(lines, 'Before introducing the panellists,') - 1]} full paragraph,"
                     f" line {line_of(lines, start, 'seven million')}")

    place, operation, _ = by_operation["Delete"]
    assert operation == f"Delete “{DELETED}”"
    start = paragraph_on(lines, "The Director of the")
    assert place == (f"Page 3, {ORDINALS[rank_on(lines, 'The Director of the') - 1]} full paragraph,"
                     f" line {line_of(lines, start, 'UNHCR was following')}")

    place, operation, text = by_operation["Insert"]
    assert (operation, text) == ("Insert the following new paragraph:", NEW_PARAGRAPH)
    # the paragraph it follows ends on page 3 and is the first to begin there
    assert place == f"Page 3, after the {ORDINALS[rank_on(lines, 'generations. Ambassador Lauber concluded') - 1]}" \
                    " full paragraph"
    assert any("address misperceptions about migrants" in line for line in lines)

    place, operation, _ = next(i for i in found if "“2015”" in i[1])
    assert operation == "For “2015” read “2016”"
    note_page = next(label for label, text in pages.items() if any(NOTE[:40] in line for line in text))
    assert place == f"Page {note_page}, footnote 1"

    place, operation, _ = next(i for i in found if "“June”" in i[1])
    assert operation == "For “June” read “September”"
    table_page = next(label for label, text in pages.items() if any("June 2017" in line for line in text))
    assert any(line.strip() == "Table 1" for line in pages[table_page])
    assert place == f"Page {table_page}, table 1"


def test_a_paragraph_run_on_from_the_page_before_is_continued(made):
    where, stdout = made
    place, operation, _ = next(i for i in items(stdout) if "“encourage”" in i[1])
    assert operation == "For “encourage” read “promote”"
    label = next(label for label, lines in old_pages(where).items()
                 if any("would encourage" in line for line in lines))
    lines = old_pages(where)[label]
    begun_before = next(label for label, text in old_pages(where).items() if any(
        _plain(line).startswith("The Director of the") for line in text))
    assert label != begun_before
    start = 1                     # the page's first line is its running head
    assert lines[0].strip() == "Fifteenth Coordination Meeting on International Migration"
    assert place == (f"Page {label}, the paragraph continued from page {begun_before},"
                     f" line {line_of(lines, start, 'would encourage')}")


def test_a_chapter_title_is_corrected_in_the_contents_too(made):
    where, stdout = made
    found = [i for i in items(stdout) if "“work plan”" in i[1] or "“plan”" in i[1] or "work plan" in i[1]]
    assert [operation for _, operation, _ in found] == ["For “workplan” read “work plan”"] * 2
    contents = next(label for label, lines in old_pages(where).items() if lines[0].strip() == "CONTENTS")
    chapter = next(label for label, lines in old_pages(where).items() if label != contents
                   and any(re.match(r"VI\.\s+CONTRIBUTING TO THE WORKPLAN", line.strip()) for line in lines))
    assert [place for place, _, _ in found] == [f"Page {contents}, contents", f"Page {chapter}, heading of chapter VI"]


def test_items_are_in_the_old_pages_order(made):
    where, stdout = made
    pages = old_pages(where)
    order = list(pages)
    keys = []
    for place, _, _ in items(stdout):
        label = place.split(",")[0].removeprefix("Page ")
        keys.append(order.index(label))
    assert keys == sorted(keys)


def test_the_corrigendum_reads_back_in_three_editions(made):
    where, stdout = made
    wanted = [f"{place} — {operation}" for place, operation, _ in items(stdout)]
    out = where / "build" / "corrigendum"
    pdf = subprocess.run([need("pdftotext"), str(out / "corrigendum.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    docx = _docx_text(out / "corrigendum.docx")
    html = _html_text(out / "html" / "index.html")
    for name, text in (("pdf", pdf), ("docx", docx), ("html", html)):
        flat = " ".join(text.split())
        assert "ESA/P/WP/249/Corr.1" in flat and "Corrigendum" in flat.title(), name
        assert "Distr.: General" in flat and "Original: English" in flat, name
        at = [flat.index(" ".join(item.split())) for item in wanted]
        assert at == sorted(at), (name, wanted)
    # The printer's copy opens on the masthead (a document has no back cover to pad before: the
    # padding once put a blank first page in front of it) and prints on whole sheets.
    printed = out / "corrigendum-print.pdf"
    first = subprocess.run([need("pdftotext"), "-f", "1", "-l", "1", str(printed), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "ESA/P/WP/249/Corr.1" in first
    info = subprocess.run([need("pdfinfo"), str(printed)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) % 2 == 0


def test_libreoffice_opens_the_corrigendums_docx(made, tmp_path):
    where, stdout = made
    soffice = need("soffice")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "txt:Text", "--outdir", str(tmp_path), str(where / "build" / "corrigendum" / "corrigendum.docx")],
                   capture_output=True, timeout=300, check=True)
    text = " ".join((tmp_path / "corrigendum.txt").read_text(encoding="utf-8-sig").split())
    at = [text.index(" ".join(f"{place} — {operation}".split())) for place, operation, _ in items(stdout)]
    assert len(at) == 8 and at == sorted(at)


def _docx_text(path) -> str:
    from docx import Document
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _html_text(path) -> str:
    from lxml import html
    return html.fromstring(path.read_bytes()).text_content()


def test_the_corrigendum_is_recorded_with_its_number(made):
    where, stdout = made
    assert stdout.startswith("ESA/P/WP/249/Corr.1: 8 item(s)")
    assert '"number": 1' in (where / "build" / ".folio" / "corrigenda.json").read_text(encoding="utf-8")


def test_since_a_git_revision_lays_the_old_version_out_anew(made, tmp_path):
    """--since REV: the old version from git, laid out in a temporary folder (the build folder
    holds another version's page map): the same items."""
    where, stdout = made
    source = make_project(tmp_path, old_text())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", "source/report.md"], ["commit", "-qm", "issued"]):
        subprocess.run(git + command, cwd=tmp_path, check=True, capture_output=True)
    source.write_text(new_text(old_text()), encoding="utf-8")
    result = run_folio("corrigendum", "--since", "HEAD", "source/report.md", "--number", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(the old version laid out anew)" in result.stdout
    assert result.stdout.startswith("ESA/P/WP/249/Corr.2")
    assert items(result.stdout) == items(stdout)


@pytest.mark.parametrize("args, message", [
    (("nowhere.md", "source/report.md"), "nowhere.md: error: no such source file"),
    (("--since", "no-such-revision", "source/report.md"), "source/report.md: error: no version of this file at"
     " revision 'no-such-revision'"),
    (("source/report.md",), "error: give the old and the new source"),
])
def test_bad_input_is_one_located_line(tmp_path, args, message):
    make_project(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = run_folio("corrigendum", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "build" / "corrigendum").exists()

