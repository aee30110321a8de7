"""Language versions of one report: source/report.md and source/report.fr.md, report.ar.md beside
it, each built into its own folder (build/fr/), under the original's symbol, the web pages
linking to each other by language.

The test documents (tests/documents/versions/) are our own: an English chapter and its French
and Arabic translations, with a note, a table, a cross-reference and an abbreviation."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, make_project, run_folio
from lxml import etree
from lxml import html as lhtml

from folio.versions import version_of

VERSIONS = ROOT / "tests" / "documents" / "versions"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def versions_project(where: Path, *tags: str) -> Path:
    """A project with the English original and the named versions; the original's path."""
    source = make_project(where, (VERSIONS / "report.md").read_text(encoding="utf-8"))
    for tag in tags:
        shutil.copy(VERSIONS / f"report.{tag}.md", source.with_name(f"report.{tag}.md"))
    return source


def build_version(where: Path, tag: str, formats: str) -> Path:
    """A project with the original and one version, the version built; its build folder."""
    source = versions_project(where, tag)
    done = run_folio("build", source.with_name(f"report.{tag}.md"), "-f", formats, cwd=where)
    assert done.returncode == 0, done.stderr
    return where / "build" / tag


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    where = tmp_path_factory.mktemp("versions")
    source = versions_project(where, "fr", "ar")
    for name in ("report.md", "report.fr.md", "report.ar.md"):
        done = run_folio("build", source.with_name(name), "-f", "html,docx", cwd=where)
        assert done.returncode == 0, done.stderr
        assert ": warning:" not in done.stderr, done.stderr
    return where / "build"


def _page(path: Path):
    return lhtml.parse(str(path)).getroot()


def test_each_version_is_built_into_its_own_folder_under_the_original_s_name(built):
    assert (built / "report.docx").is_file() and (built / "html" / "index.html").is_file()
    for tag in ("fr", "ar"):
        assert (built / tag / "report.docx").is_file(), sorted(p.name for p in (built / tag).iterdir())
        assert (built / tag / "html" / "index.html").is_file()
    assert not list(built.glob("report.fr*")) and not list(built.glob("*/report.fr*"))


def test_a_version_has_its_own_title_and_language_and_the_original_s_symbol(built):
    page = _page(built / "fr" / "html" / "index.html")
    assert page.get("lang") == "fr"
    assert page.findtext(".//title") == "Rapport d'essai sur les migrations"
    assert "A/TEST/2" in " ".join(page.itertext())          # written only in the original
    assert "Nations Unies" in " ".join(page.itertext())      # the version's own front matter
    assert _page(built / "ar" / "html" / "index.html").get("dir") == "rtl"
    with zipfile.ZipFile(built / "fr" / "report.docx") as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        body = etree.fromstring(z.read("word/document.xml"))
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val").startswith("fr")
    text = "".join(t.text or "" for t in body.iter(f"{W}t"))
    assert "Données" in text and "A/TEST/2" in text


def test_the_web_pages_link_to_each_other_by_language(built):
    pages = {"en": built / "html" / "index.html", "fr": built / "fr" / "html" / "index.html",
             "ar": built / "ar" / "html" / "index.html"}
    for tag, path in pages.items():
        page = _page(path)
        alternates = {link.get("hreflang"): (path.parent / link.get("href")).resolve()
                      for link in page.xpath("//head/link[@rel='alternate']")}
        assert alternates == {t: p.resolve() for t, p in pages.items()}, (tag, alternates)
        links = {a.get("hreflang"): (path.parent / a.get("href")).resolve()
                 for a in page.xpath("//body//a[@hreflang]")}
        assert links == {t: p.resolve() for t, p in pages.items() if t != tag}, (tag, links)
    names = [a.text_content() for a in _page(pages["en"]).xpath("//body//a[@hreflang]")]
    assert names == ["العربية", "Français"]                   # each language in its own words


def test_invoke_build_builds_every_version(tmp_path):
    source = versions_project(tmp_path, "fr")
    shutil.copy(ROOT / "tasks.py", tmp_path / "tasks.py")
    done = subprocess.run([sys.executable, "-m", "invoke", "html"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "build" / "html" / "index.html").is_file()
    assert _page(tmp_path / "build" / "fr" / "html" / "index.html").get("lang") == "fr"
    assert source.is_file()


def test_a_new_version_makes_the_original_s_page_stale(tmp_path):
    source = versions_project(tmp_path)
    assert run_folio("build", source, "-f", "html", cwd=tmp_path).returncode == 0
    assert not _page(tmp_path / "build" / "html" / "index.html").xpath("//link[@hreflang]")
    shutil.copy(VERSIONS / "report.fr.md", source.with_name("report.fr.md"))
    done = run_folio("build", source, "-f", "html", cwd=tmp_path)
    assert re.search(r"html\s+rebuilt", done.stdout), done.stdout
    hrefs = _page(tmp_path / "build" / "html" / "index.html").xpath("//link[@rel='alternate']/@hreflang")
    assert hrefs == ["en", "fr"]


def test_only_a_language_tag_beside_an_original_makes_a_version(tmp_path):
    (tmp_path / "report.md").write_text("x")
    for name in ("report.fr.md", "report.zh-Hant.md", "report.old.md", "notes.fr.md", "report.review.md"):
        (tmp_path / name).write_text("x")
    assert version_of(tmp_path / "report.fr.md") == ("fr", tmp_path / "report.md")
    assert version_of(tmp_path / "report.zh-Hant.md") == ("zh-Hant", tmp_path / "report.md")
    for name in ("report.old.md", "notes.fr.md", "report.review.md", "report.md"):
        assert version_of(tmp_path / name) is None, name


# ---- the structure check: the first place a version parts from its original -----------------

def _french(where: Path, edit) -> tuple[Path, list[str]]:
    """A project whose French version is edit(lines of report.fr.md); (the version, its lines)."""
    source = versions_project(where, "fr")
    version = source.with_name("report.fr.md")
    lines = edit(version.read_text(encoding="utf-8").split("\n"))
    version.write_text("\n".join(lines), encoding="utf-8")
    return version, lines


def _line(lines: list[str], start: str) -> int:
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def _original(start: str) -> int:
    """The line of the original (tests/documents/versions/report.md) that starts so."""
    return _line((VERSIONS / "report.md").read_text(encoding="utf-8").split("\n"), start)


def _structure_errors(where: Path, version: Path) -> list[str]:
    done = run_folio("check", version, cwd=where)
    assert done.returncode == 1, done.stderr
    return [x for x in done.stderr.splitlines() if "[structure]" in x]


def test_a_version_with_the_original_s_structure_is_checked_clean(tmp_path):
    version, _ = _french(tmp_path, lambda lines: lines)
    done = run_folio("check", version, cwd=tmp_path)
    assert done.returncode == 0 and "[structure]" not in done.stderr, done.stderr


def test_a_missing_paragraph_is_named_where_the_version_parts_from_the_original(tmp_path):
    def drop(lines):
        gone = _line(lines, "Le présent rapport")
        return lines[:gone - 1] + lines[gone + 1:]          # the paragraph and its blank line
    version, lines = _french(tmp_path, drop)
    errors = _structure_errors(tmp_path, version)
    where = _line(lines, "## Données")
    note = _line(lines, "L'Organisation")
    assert errors == [f"source/report.fr.md:{where}: error: chapter I has 2 paragraphs, the original 3:"
                      " section I.B follows paragraph 1 here, paragraph 2 in the original"
                      f" (source/report.md:{_original('## Data')});"
                      f" the difference lies after note 1 (line {note}) [structure]"], errors


def test_a_moved_note_is_named_at_its_call(tmp_path):
    def move(lines):
        first, second = _line(lines, "L'Organisation"), _line(lines, "Le présent rapport")
        lines[first - 1] = lines[first - 1].replace("[^source]", "")
        lines[second - 1] += "[^source]"
        return lines
    version, lines = _french(tmp_path, move)
    errors = _structure_errors(tmp_path, version)
    assert errors == [f"source/report.fr.md:{_line(lines, 'Le présent rapport')}: error: note 1 is called in"
                      " paragraph 2 here, in paragraph 1 in the original"
                      f" (source/report.md:{_original('The International')})"
                      " [structure]"], errors


def test_a_split_chapter_is_named_at_the_heading_that_splits_it(tmp_path):
    def split(lines):
        at = _line(lines, "## Données")
        return lines[:at - 1] + ["# Les données {#sec-les-donnees}", ""] + lines[at - 1:]
    version, lines = _french(tmp_path, split)
    errors = _structure_errors(tmp_path, version)
    assert errors == [f"source/report.fr.md:{_line(lines, '# Les données')}: error: chapter II starts here,"
                      " inside the original's chapter I (after its paragraph 2): this version has 3 chapters,"
                      " the original 2 [structure]"], errors


def test_a_changed_label_and_a_version_s_own_symbol(tmp_path):
    def relabel(lines):
        lines[_line(lines, "Table: ") - 1] = "Table: Migrants par région {#tbl-migrants}"
        lines[_line(lines, "Le @tbl-regions") - 1] = "Le @tbl-migrants montre deux régions."
        return lines[:1] + ["symbol: A/TEST/2/Rev.1"] + lines[1:]
    version, lines = _french(tmp_path, relabel)
    done = run_folio("check", version, cwd=tmp_path)
    assert done.returncode == 1
    assert f"source/report.fr.md:{_line(lines, '| Région')}: error: table 1 is labelled 'tbl-migrants' here," \
           f" 'tbl-regions' in the original (source/report.md:{_original('| Region')}): a version keeps the" \
           " original's labels" \
           " [structure]" in done.stderr, done.stderr
    assert "source/report.fr.md:2: warning: the symbol of a language version is its original's (A/TEST/2);" \
           " 'A/TEST/2/Rev.1' is not used [structure]" in done.stderr, done.stderr


def test_a_version_s_language_is_its_file_name_s(tmp_path):
    version, _ = _french(tmp_path, lambda lines: lines[:1] + ["language: es"] + lines[1:])
    done = run_folio("check", version, cwd=tmp_path)
    assert done.returncode == 1
    assert "source/report.fr.md:2: error: this language version is named for 'fr' but its front matter says" \
           " 'language: es': rename the file or correct the language [front-matter]" in done.stderr, done.stderr
    version.write_text(version.read_text(encoding="utf-8").replace("language: es", "language: fr-CA"),
                       encoding="utf-8")
    assert run_folio("check", version, cwd=tmp_path).returncode == 0


def test_a_structure_error_stops_the_build_and_can_be_ignored_while_translating(tmp_path):
    version, _ = _french(tmp_path, lambda lines: lines[:-6] + lines[-4:])    # the last paragraph gone
    done = run_folio("build", version, "-f", "html", cwd=tmp_path)
    assert done.returncode == 1 and "chapter II has 1 paragraphs, the original 2" in done.stderr, done.stderr
    assert not (tmp_path / "build" / "fr" / "html" / "index.html").exists()
    done = run_folio("build", version, "-f", "html", "--ignore", "structure", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "build" / "fr" / "html" / "index.html").is_file()


def test_folio_where_answers_in_a_version_from_its_own_build(tmp_path):
    source = versions_project(tmp_path, "fr")
    version = source.with_name("report.fr.md")
    assert run_folio("build", version, "-f", "docx", cwd=tmp_path).returncode == 0
    lines = version.read_text(encoding="utf-8").split("\n")
    line = _line(lines, "Le présent rapport")
    done = run_folio("where", f"source/report.fr.md:{line}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0].startswith(f"source/report.fr.md:{line}: paragraph ") and "section I.A" in out[0], out
    assert any(x.strip().startswith("DOCX: paragraph ") for x in out), out      # build/fr/report.docx
    done = run_folio("where", f"source/report.md:{_original('The present report')}", cwd=tmp_path)
    assert not any("DOCX" in x for x in done.stdout.splitlines()), done.stdout   # no build/report.docx


def test_a_change_to_the_original_reaches_its_versions(tmp_path):
    source = versions_project(tmp_path, "fr")
    version = source.with_name("report.fr.md")
    assert run_folio("build", version, "-f", "html", cwd=tmp_path).returncode == 0
    assert "up to date" in run_folio("build", version, "-f", "html", cwd=tmp_path).stdout
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("# Conclusions {#sec-conclusions}\n",
                                   "# Conclusions {#sec-conclusions}\n\nA new first paragraph.\n"), encoding="utf-8")
    done = run_folio("build", version, "-f", "html", cwd=tmp_path)
    assert done.returncode == 1 and "chapter II has 2 paragraphs, the original 3" in done.stderr, done.stderr
