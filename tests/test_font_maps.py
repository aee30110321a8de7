"""The characters each font has (folio.glyphs: the glyph check and the print fonts' faces) are
read with fontTools once and kept in the user's cache: the next process reads them from there,
a changed font is read again, and a damaged cache file is never believed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from folio import glyphs

FONT = Path(__file__).resolve().parents[1] / "styles" / "fonts" / "LiberationSerif-Regular.ttf"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "folio" / "cmaps"


def _fresh(path: Path) -> frozenset[int]:
    """As a new process reads it (the process's own memory left out)."""
    return glyphs._characters.__wrapped__(str(path), path.stat().st_mtime)


def _fontTools_refuses(monkeypatch) -> None:
    def refuse(path):
        raise AssertionError(f"read {path} with fontTools")
    monkeypatch.setattr(glyphs, "_read_cmap", refuse)


def test_a_font_read_once_is_read_from_the_cache_after(cache, tmp_path, monkeypatch):
    font = tmp_path / "Serif.ttf"
    shutil.copyfile(FONT, font)
    truth = frozenset(TTFont(str(font)).getBestCmap())
    assert _fresh(font) == truth and ord("é") in truth
    assert len(list(cache.iterdir())) == 1
    _fontTools_refuses(monkeypatch)
    assert _fresh(font) == truth


def test_a_changed_font_is_read_again(cache, tmp_path, monkeypatch):
    font = tmp_path / "Serif.ttf"
    shutil.copyfile(FONT, font)
    _fresh(font)
    shutil.copyfile(FONT.with_name("NotoNaskhArabic-Regular.ttf"), font)    # another font, same name
    arabic = frozenset(TTFont(str(font)).getBestCmap())
    assert ord("ب") in arabic
    assert _fresh(font) == arabic


@pytest.mark.parametrize("damage", [lambda d: d[:-5], lambda d: d[:40], lambda d: b"", lambda d: d[:-3] + b"EN"])
def test_a_damaged_cache_file_is_not_believed(cache, tmp_path, monkeypatch, damage):
    font = tmp_path / "Serif.ttf"
    shutil.copyfile(FONT, font)
    truth = _fresh(font)
    (kept,) = cache.iterdir()
    kept.write_bytes(damage(kept.read_bytes()))
    assert _fresh(font) == truth
    _fontTools_refuses(monkeypatch)
    assert _fresh(font) == truth        # it was written again, whole


def test_no_cache_to_write_is_no_error(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    font = tmp_path / "Serif.ttf"
    shutil.copyfile(FONT, font)
    assert _fresh(font) == frozenset(TTFont(str(font)).getBestCmap())
