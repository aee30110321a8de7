"""Each stylesheet parsed once per process, not once per layout.

WeasyPrint reads, parses and compiles every stylesheet a page links or embeds again for each
layout: tinycss2 tokenises it, each declaration is validated, each selector compiled. A layout
worker lays out dozens of chunks, probes and frames of one build, all with the same print
stylesheets, and the single pass lays the document out again for each hyphenation round:
profiled, a third of a worker's CPU was this, as much as the line breaking.

Here the parsed sheet is kept, keyed on exactly what WeasyPrint would parse (the text and its
base URL, or the bytes the fetcher served for a link, so a changed file or the fetcher's
filter gives a new entry) and the medium. What parsing does to the document's own records
is kept with it and done again in each layout, in the same order as a parse would: the
@page rules it adds, its counter styles and colour profiles, and its @font-face rules, which
register their fonts in each layout's own FontConfiguration. A sheet that fetched anything
else while it was parsed (an @import), that any fetch failed for, or that declares cascade
layers, is parsed afresh every time, as before."""
from __future__ import annotations

import copy
from typing import NamedTuple

from .wrap import wrap_once

LIMIT = 32      # sheets kept: a build has a handful (print, paper, language, a chunk's rewrites)
_parsed: dict = {}


class Parsed(NamedTuple):
    css: object                 # weasyprint.CSS: its matcher is what the cascade reads
    page_rules: tuple           # the @page rules it added to its layout's list
    counter_styles: tuple       # (name, counter) it set
    color_profiles: tuple       # (name, profile) it set
    faces: tuple                # the descriptors of its @font-face rules, in order


def parse_once() -> None:
    """Install the cache in WeasyPrint (once per process: folio.layout.weasy.fixes)."""
    import weasyprint.css as css
    wrap_once(css, "find_stylesheets", "_folio_parse_once", lambda original: find_stylesheets)


def find_stylesheets(wrapper_element, device_media_type, url_fetcher, base_url, font_config,
                     counter_style, color_profiles, page_rules, layers):
    """WeasyPrint's find_stylesheets (the same elements, in the same order, the same errors
    logged), each sheet taken from the cache where it can be."""
    from weasyprint.css import get_child_text, media_queries
    from weasyprint.html import element_has_link_type, parse_url
    from weasyprint.logger import LOGGER
    from weasyprint.urls import URLFetchingError, fetch

    records = (font_config, counter_style, color_profiles, page_rules, layers)
    for wrapper in wrapper_element.query_all("style", "link"):
        element = wrapper.etree_element
        if element.get("type", "text/css").split(";", 1)[0].strip() != "text/css":
            continue
        media = [m.strip() for m in (element.get("media", "").strip() or "all").split(",")]
        if not media_queries.evaluate_media_query(media, device_media_type):
            continue
        if element.tag == "style":
            text = get_child_text(element)
            key = ("style", text, base_url, device_media_type)
            yield _sheet(key, records, url_fetcher, dict(string=text, base_url=base_url, media_type=device_media_type))
        elif element.tag == "link" and element.get("href"):
            if not element_has_link_type(element, "stylesheet") or element_has_link_type(element, "alternate"):
                continue
            href = parse_url(element.get("href"), base_url)
            if href is None:
                continue
            try:
                with fetch(url_fetcher, href) as response:
                    served = (response.url, response.read(), dict(response.headers.items()), response.status)
            except URLFetchingError as exception:
                LOGGER.error("Failed to load stylesheet at %s: %s", href, exception)
                continue
            key = ("link", href, served[0], served[1], tuple(served[2].items()), device_media_type)
            yield _sheet(key, records, url_fetcher, dict(url=href, _check_mime_type=True, media_type=device_media_type),
                         (href, served))


def _sheet(key, records, url_fetcher, source: dict, served: tuple | None = None):
    """The sheet for this layout: the kept one (its records done again), else parsed now."""
    font_config, counter_style, color_profiles, page_rules, layers = records
    kept = _parsed.get(key)
    if kept is None:
        return _parse(key, records, url_fetcher, source, served)
    for descriptors in kept.faces if font_config is not None else ():
        font_config.add_font_face(descriptors, url_fetcher)
    counter_style.update(kept.counter_styles)
    color_profiles.update(kept.color_profiles)
    page_rules.extend(kept.page_rules)
    # The cascade reads the layout's own lists through every sheet (add_page_declarations).
    sheet = copy.copy(kept.css)
    sheet.page_rules, sheet.layers = page_rules, layers
    return sheet


def _parse(key, records, url_fetcher, source: dict, served: tuple | None):
    from weasyprint import CSS

    font_config, counter_style, color_profiles, page_rules, layers = records
    watched = _Watched(url_fetcher, served)
    faces = _Faces(font_config, watched)
    counters_before, profiles_before = dict(counter_style), dict(color_profiles)
    rules_before, layers_before = len(page_rules), len(layers)
    sheet = CSS(**source, url_fetcher=watched, font_config=faces if font_config is not None else None,
                counter_style=counter_style, color_profiles=color_profiles,
                page_rules=page_rules, layers=layers)
    if watched.other or watched.failed or len(layers) != layers_before:
        return sheet
    while len(_parsed) >= LIMIT:
        del _parsed[next(iter(_parsed))]
    _parsed[key] = Parsed(sheet, tuple(page_rules[rules_before:]),
                          tuple((k, v) for k, v in counter_style.items() if counters_before.get(k) is not v),
                          tuple((k, v) for k, v in color_profiles.items() if profiles_before.get(k) is not v),
                          tuple(faces.added))
    return sheet


class _Watched:
    """The layout's fetcher as a parse sees it, noting what the parse fetched besides its
    fonts, and any failure. A linked sheet's own URL (`served`: (href, response)) is answered
    with the bytes already fetched for its key: one read, and what is parsed is what was keyed."""

    def __init__(self, fetcher, served: tuple | None = None):
        self.fetcher, self.served = fetcher, served
        self.other, self.failed, self.in_face = False, False, False
        self._fail_on_errors = getattr(fetcher, "_fail_on_errors", False)

    def __call__(self, url):
        from weasyprint.urls import URLFetcherResponse
        if self.served is not None and url == self.served[0]:
            return URLFetcherResponse(*self.served[1])
        self.other = self.other or not self.in_face
        try:
            return self.fetcher(url)
        except Exception:
            self.failed = True
            raise


class _Faces:
    """The layout's FontConfiguration as a parse sees it: each @font-face registered there and
    noted, for the layouts that take the parsed sheet from the cache."""

    def __init__(self, font_config, watched: _Watched):
        self.font_config, self.watched, self.added = font_config, watched, []

    def add_font_face(self, rule_descriptors, url_fetcher):
        self.added.append(rule_descriptors)
        self.watched.in_face = True
        try:
            return self.font_config.add_font_face(rule_descriptors, url_fetcher)
        finally:
            self.watched.in_face = False
