"""`folio diff OLD NEW --pages DIR`: an image of the old and the new page side by side for
every page the change report names, none for the others, the changed lines framed. The frames
are checked against the pixels that differ between the two PDFs as pdftoppm renders them."""
from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import lxml.html
import pytest
from conftest import make_project, need, run_folio
from PIL import Image, ImageChops

from folio.layout import pagemap

DPI = 100          # the proofs' resolution (folio.proofs.DPI): the test renders at the same
SENTENCE = ("Delegations reviewed the household surveys on remittances, the registers of arrivals"
            " and the censuses of the last round.")
CHANGED = SENTENCE.replace("household surveys", "household studies")   # as long: the page keeps its lines


def report(chapter_two: str) -> str:
    paragraph = " ".join([SENTENCE] * 9)
    chapter = "\n\n".join([paragraph] * 5)
    return textwrap.dedent("""\
        ---
        title: Household surveys and migration
        organization: United Nations
        symbol: XQ/TEST/2026/9
        year: 2026
        chapter-opening: page
        ---

        # Chapter one

        """) + chapter + "\n\n# Chapter two\n\n" + chapter_two + "\n\n# Chapter three\n\n" + chapter + "\n"


def chapter_two(first: str = SENTENCE, extra: str = "") -> str:
    paragraph = " ".join([SENTENCE] * 9)
    return "\n\n".join([" ".join([first] + [SENTENCE] * 8), extra + paragraph, paragraph, paragraph, paragraph])


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The project built three times: as issued (build/), with one word changed in the first
    paragraph of chapter two (build-word/), and with a paragraph added that pushes the chapter's
    text onto its next page (build-push/)."""
    where = tmp_path_factory.mktemp("proofs")
    source = make_project(where, report(chapter_two()))
    versions = {"build": chapter_two(), "build-word": chapter_two(CHANGED),
                "build-push": chapter_two(extra=" ".join([SENTENCE] * 6) + "\n\n")}
    for out, text in versions.items():
        source.write_text(report(text), encoding="utf-8")
        done = run_folio("build", source, "--out", where / out, "-f", "pdf", cwd=where)
        assert done.returncode == 0, done.stderr
    return where


def diff_pages(where: Path, new: str) -> tuple[list[int], Path]:
    """(the places, from 0, of the pages the change report names, the proofs folder)."""
    proofs = where / f"proofs-{new}"
    done = run_folio("diff", where / "build", where / new, "--pages", proofs, cwd=where)
    assert done.returncode == 0, done.stderr
    named = re.search(r"^PDF pages to read again: (.*)$", done.stdout, re.M).group(1).split(" (")[0].split(", ")
    labels = [page["label"] for page in pagemap.load(where / new)["pages"]]
    return sorted(labels.index(label) for label in named), proofs


def images(proofs: Path) -> list[int]:
    return sorted(int(p.stem.split("-")[1]) - 1 for p in proofs.glob("page-*.png"))


@pytest.mark.slow    # lays out PDFs
def test_one_word_changed_gives_one_image_and_the_frames_lie_over_the_changed_lines(project):
    named, proofs = diff_pages(project, "build-word")
    assert len(named) == 1 and images(proofs) == named
    index = lxml.html.parse(str(proofs / "index.html")).getroot()
    assert index.xpath("//a/@href") == [f"page-{named[0] + 1:03d}.png"]
    sheet = Image.open(proofs / f"page-{named[0] + 1:03d}.png").convert("RGB")
    old = render(project / "build" / "report.pdf", named[0], project / "old")
    new = render(project / "build-word" / "report.pdf", named[0], project / "new")
    for side, (offset, page) in enumerate(((0, old), (sheet.width - new.width, new))):
        frame = framed_box(sheet.crop((offset, 0, offset + page.width, sheet.height)))
        assert frame is not None, f"no frame on side {side}"
        changed = ImageChops.difference(old.convert("L"), new.convert("L")).point(lambda v: 255 if v > 64 else 0)
        total = histogram_count(changed)
        inside = histogram_count(changed.crop(frame))
        assert total > 50 and inside / total > 0.98, (side, frame, inside, total)
        width, height = page.size
        area = (frame[2] - frame[0]) * (frame[3] - frame[1])
        assert area < 0.2 * width * height, (side, frame)     # the lines, not the page


@pytest.mark.slow    # lays out PDFs
def test_text_pushed_onto_the_next_page_gives_an_image_for_exactly_the_pages_named(project):
    named, proofs = diff_pages(project, "build-push")
    assert len(named) >= 2 and named == list(range(named[0], named[0] + len(named)))
    assert images(proofs) == named
    for index in named:
        sheet = Image.open(proofs / f"page-{index + 1:03d}.png").convert("RGB")
        assert framed_box(sheet) is not None, index      # every changed page shows what changed


def render(pdf: Path, index: int, stem: Path) -> Image.Image:
    subprocess.run([need("pdftoppm"), "-png", "-r", str(DPI), "-f", str(index + 1), "-l", str(index + 1),
                    "-singlefile", str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}.png").convert("RGB")


def framed_box(image: Image.Image):
    """The box around every strongly red pixel (the frames; the pages print no red), widened by
    the frame's own width, or None."""
    red, green, blue = image.split()
    mask = ImageChops.multiply(red.point(lambda v: 255 if v > 170 else 0),
                               ImageChops.multiply(green.point(lambda v: 255 if v < 80 else 0),
                                                   blue.point(lambda v: 255 if v < 110 else 0)))
    box = mask.getbbox()
    return None if box is None else (box[0] - 3, box[1] - 3, box[2] + 3, box[3] + 3)


def histogram_count(mask: Image.Image) -> int:
    return mask.histogram()[255]


@pytest.mark.slow    # lays out PDFs
def test_a_build_without_a_pdf_is_one_located_line(tmp_path):
    source = make_project(tmp_path, report(chapter_two()))
    for out in ("a", "b"):
        assert run_folio("build", source, "--out", tmp_path / out, "-f", "html", cwd=tmp_path).returncode == 0
    done = run_folio("diff", tmp_path / "a", tmp_path / "b", "--pages", tmp_path / "proofs", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == (f"{tmp_path / 'a'}: error: no PDF with its page map in this build"
                                           " folder: build the PDF with folio first [file]")
    assert not (tmp_path / "proofs").exists()


def test_the_pages_and_lines_compared():
    from folio.proofs import Line, changed_indices, changed_lines, frames
    old = [["1", "a"], ["2", "b"], ["3", "c"], ["4", "d"]]
    assert changed_indices(old, [["1", "a"], ["2", "B"], ["3", "c"]]) == [1, 3]     # changed, then lost
    assert changed_indices(old[:2], old[:2] + [["3", "c"]]) == [2]                   # a page more
    lines = [Line(text, [0, 10 * i, 100, 10 * i + 8]) for i, text in enumerate("abcde")]
    moved = [Line(text, [0, 10 * i, 100, 10 * i + 8]) for i, text in enumerate("abXde")]
    assert changed_lines(lines, moved) == ([2], [2])
    assert changed_lines(lines, lines[:1] + lines[2:]) == ([1], [])
    assert frames(lines, [1, 2, 4]) == [[0, 10, 100, 28], [0, 40, 100, 48]]
