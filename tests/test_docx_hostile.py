"""A Word file from outside is hostile input: bombs, DTDs, entities, broken zips, missing parts.
Each gives one clear error, never a traceback, and leaves the source byte for byte as it was."""
from __future__ import annotations

import io
import random
import zipfile

import pytest
from conftest import make_project, run_folio
from docx_files import FIXTURES, make_docx, tracked_fixture

from folio.corrections.package import DocxError, Limits, Package

BODY = (FIXTURES / "tracked-document.xml").read_text(encoding="utf-8")
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY far SYSTEM "http://127.0.0.1:9/x">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&secret;&far;</w:t></w:r></w:p></w:body></w:document>"""


def open_error(path, limits=None) -> str:
    with pytest.raises(DocxError) as caught:
        with Package(path, limits) as pkg:
            from folio.corrections.revisions import read_document
            read_document(pkg)
    return str(caught.value)


def test_entities_and_dtds_are_refused(tmp_path):
    assert "DTD or entities" in open_error(make_docx(tmp_path / "laughs.docx", LAUGHS))
    assert "DTD or entities" in open_error(make_docx(tmp_path / "external.docx", EXTERNAL))
    # also in a part other than the body
    assert "word/comments.xml" in open_error(make_docx(tmp_path / "c.docx", BODY, comments=EXTERNAL))


def test_a_zip_bomb_is_refused_before_it_inflates(tmp_path):
    path = tmp_path / "bomb.docx"
    make_docx(path, BODY, extra={"word/media/zeros.bin": b"\0" * (20 * 2**20)})
    assert "refused as a zip bomb" in open_error(path)


def test_member_count_and_sizes_are_bounded(tmp_path):
    many = make_docx(tmp_path / "many.docx", BODY, extra={f"x/{n}.xml": "<a/>" for n in range(2001)})
    assert "2005 members" in open_error(many)   # 2001 and the four parts of a package
    noise = random.Random(0).randbytes(2 * 2**20)   # does not compress: no bomb, just big
    big = make_docx(tmp_path / "big.docx", BODY, extra={"word/media/noise.bin": noise})
    assert "uncompressed" in open_error(big, Limits(member_size=2**20))
    assert "at most 1 MB" in open_error(big, Limits(total_size=2**20))


def test_broken_and_incomplete_packages(tmp_path):
    (tmp_path / "text.docx").write_text("just words")
    assert "not a Word document" in open_error(tmp_path / "text.docx")
    whole = tracked_fixture(tmp_path / "whole.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(whole[: len(whole) // 2])
    assert "not a Word document" in open_error(tmp_path / "cut.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/styles.xml", "<a/>")
    (tmp_path / "empty.docx").write_bytes(buffer.getvalue())
    assert "part 'word/document.xml' is missing" in open_error(tmp_path / "empty.docx")
    assert "not well-formed" in open_error(make_docx(tmp_path / "bad.docx", "<w:document><w:body>"))
    assert "file not found" in open_error(tmp_path / "nowhere.docx")


@pytest.mark.parametrize("name", ["laughs", "bomb", "missing"])
def test_the_command_fails_cleanly_and_leaves_the_source(tmp_path, name):
    source = make_project(tmp_path)
    before = source.read_bytes()
    docx = tmp_path / f"{name}.docx"
    if name == "laughs":
        make_docx(docx, LAUGHS)
    elif name == "bomb":
        make_docx(docx, BODY, extra={"word/media/zeros.bin": b"\0" * (20 * 2**20)})
    result = run_folio("import-docx", docx, source, "--apply", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = [x for x in result.stderr.splitlines() if ": error: " in x]
    assert line.startswith(f"{docx}: error: ") and line.endswith("[docx]")
    assert source.read_bytes() == before
    assert sorted(p.name for p in source.parent.iterdir()) == ["report.md"]
