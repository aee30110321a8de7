"""The print stylesheets, read the way the chunker needs them.

Two questions are asked of the CSS without laying anything out: which elements force a page
break (and of which kind), and which elements show a page number through `target-counter()`.
Both are answered by a small cascade over the page's own stylesheets (tinycss2 parses,
cssselect2 matches: WeasyPrint's own two libraries), limited to the few properties asked for.
The stylesheets of the chunks are the same files, with `target-counter(attr(X), page…)`
rewritten to `attr(data-folio-page)`: the number folio settled across chunks."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import cssselect2
import tinycss2
from tinycss2 import ast
from tinycss2.serializer import serialize_string_value, serialize_url

PAGE_ATTR = "data-folio-page"   # where a chunk element carries the page label folio settled
MEDIA = {"all", "print"}


@dataclass
class Sheet:
    url: str                      # absolute URL: relative url() tokens resolve against it
    text: str
    inline: bool = False          # a <style> element rather than a <link>


@dataclass
class Cascade:
    """Declarations of the asked-for properties, matched against elements (one matcher per
    property, so asking about one property matches only the rules that set it)."""
    properties: frozenset
    matchers: dict = field(default_factory=dict)
    counters: list = field(default_factory=list)   # compiled selectors of rules using target-counter
    memo: dict = field(default_factory=dict)

    def add(self, sheet: Sheet, order: int) -> None:
        for selectors, wanted, shows_number in _asked_rules(sheet.text, self.properties):
            for selector in selectors:
                for prop, declaration in wanted.items():
                    self.matchers.setdefault(prop, cssselect2.Matcher()).add_selector(
                        selector, (order, declaration))
                if shows_number:
                    self.counters.append(selector)

    def value(self, element: cssselect2.ElementWrapper, prop: str) -> str | None:
        """The cascaded value of one property on an element (no inheritance), as text."""
        key = (element.etree_element, prop)
        if key not in self.memo:
            self.memo[key] = self._value(element, prop)
        return self.memo[key]

    def might_match(self, element, prop: str) -> bool:
        """False when no rule setting prop can match this (lxml) element: a cheap test on its
        tag, id and classes, before a wrapper for full matching is made."""
        matcher = self.matchers.get(prop)
        if matcher is None:
            return bool(element.get("style")) and prop in element.get("style")
        if matcher.other_selectors or matcher.namespace_selectors or matcher.lang_attr_selectors:
            return True
        classes = (element.get("class") or "").split()
        return (element.get("id") in matcher.id_selectors or element.tag in matcher.lower_local_name_selectors
                or any(c in matcher.class_selectors for c in classes)
                or (bool(element.get("style")) and prop in element.get("style")))

    def _value(self, element: cssselect2.ElementWrapper, prop: str) -> str | None:
        best = None
        matcher = self.matchers.get(prop)
        for specificity, order, pseudo, (_, declaration) in matcher.match(element) if matcher else ():
            if pseudo is None:
                rank = (declaration.important, specificity, order)
                if best is None or rank >= best[0]:
                    best = (rank, declaration)
        style = element.etree_element.get("style")
        inline = _inline(style, prop) if style else None
        if inline is not None and (best is None or not best[1].important or inline.important):
            best = ((inline.important, (1, 0, 0, 0), 0), inline)
        return tinycss2.serialize(best[1].value).strip().lower() if best else None

    def shows_page_number(self, element: cssselect2.ElementWrapper) -> bool:
        return any(selector.test(element) for selector in self.counters)


@lru_cache(maxsize=16)
def _asked_rules(text: str, properties: frozenset) -> tuple:
    """(compiled selectors, {property: declaration}, shows a page number) of each style rule of
    a sheet that sets one of the properties or shows a page number. Kept per text: every split
    of a build (each revision, each round of cuts) reads the same sheets; what is kept is only
    read (the matchers are each Cascade's own)."""
    found = []
    for rule in _style_rules(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)):
        declarations = [d for d in tinycss2.parse_blocks_contents(rule.content, True, True)
                        if d.type == "declaration"]
        wanted = {d.lower_name: d for d in declarations if d.lower_name in properties}
        shows_number = any(d.lower_name == "content" and _has_target_counter(d.value) for d in declarations)
        if not wanted and not shows_number:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            continue   # WeasyPrint ignores a rule it cannot read; so does the chunker
        found.append((selectors, wanted, shows_number))
    return tuple(found)


def load(root, base_url: str, read) -> tuple[list[Sheet], Cascade]:
    """The stylesheets a print page links or embeds, in order, and their cascade.
    `read(url)` returns a linked file's text (the caller decides what may be read)."""
    sheets = []
    for node in root.iter("link", "style"):
        if node.tag == "style":
            sheets.append(Sheet(base_url, node.text or "", inline=True))
        elif "stylesheet" in (node.get("rel") or "").lower().split() and node.get("href"):
            url = urljoin(base_url, node.get("href"))
            sheets.append(Sheet(url, read(url)))
    cascade = Cascade(frozenset({"break-before", "break-after", "page-break-before",
                                 "page-break-after", "page", "float"}))
    for order, sheet in enumerate(sheets):
        cascade.add(sheet, order)
    return sheets, cascade


def read_file_url(url: str) -> str:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)).read_text(encoding="utf-8") if parsed.scheme == "file" else ""


def chunk_sheet(sheet: Sheet) -> str | None:
    """The sheet as a chunk embeds it: page numbers from attr(data-folio-page), every url()
    absolute (the text moves into the chunk's <style>). None if it needs no change."""
    return _chunk_sheet(sheet.text, sheet.url)


@lru_cache(maxsize=16)
def _chunk_sheet(text: str, url: str) -> str | None:
    """chunk_sheet, once per sheet and URL: every split of a build rewrites the same sheets."""
    tokens = tinycss2.parse_stylesheet(text)
    if not any(_has_target_counter(_contents(rule)) for rule in tokens):
        return None
    return tinycss2.serialize(_rewrite(tokens, url))


def _rewrite(nodes, base: str) -> list:
    out = []
    for node in nodes:
        if node.type == "function" and node.lower_name == "target-counter" and _is_page_counter(node):
            node = ast.FunctionBlock(node.source_line, node.source_column, "attr",
                                     [ast.IdentToken(node.source_line, node.source_column, PAGE_ATTR)])
        elif node.type == "url":
            url = urljoin(base, node.value)
            node = ast.URLToken(node.source_line, node.source_column, url, f"url({serialize_url(url)})")
        elif node.type == "function" and node.lower_name == "url":
            for arg in node.arguments:
                if arg.type == "string":
                    arg.value = urljoin(base, arg.value)
                    arg.representation = f'"{serialize_string_value(arg.value)}"'
        elif node.type in ("qualified-rule", "at-rule"):
            node.prelude = _rewrite(node.prelude, base)
            if node.content is not None:
                node.content = _rewrite(node.content, base)
        elif hasattr(node, "content") and isinstance(node.content, list):   # () [] {} blocks
            node.content = _rewrite(node.content, base)
        elif hasattr(node, "arguments"):
            node.arguments = _rewrite(node.arguments, base)
        out.append(node)
    return out


def _is_page_counter(node) -> bool:
    args = [a for a in node.arguments if a.type not in ("whitespace", "comment")]
    return len(args) >= 3 and args[2].type == "ident" and args[2].lower_value == "page"


def _has_target_counter(nodes) -> bool:
    for node in nodes or ():
        if node.type == "function" and node.lower_name == "target-counter" and _is_page_counter(node):
            return True
        if _has_target_counter(getattr(node, "arguments", None) or _contents(node)):
            return True
    return False


def _contents(node) -> list:
    content = getattr(node, "content", None)
    return content if isinstance(content, list) else []


def _style_rules(rules):
    """Style rules, including those inside @media print/all; @page and @font-face left out."""
    for rule in rules:
        if rule.type == "qualified-rule":
            yield rule
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            media = {t.lower_value for t in rule.prelude if t.type == "ident"}
            if not media or media & MEDIA:
                yield from _style_rules(tinycss2.parse_rule_list(rule.content, True, True))


def _inline(style: str, prop: str):
    found = None
    if prop in style.lower():
        for d in tinycss2.parse_blocks_contents(style, True, True):
            if d.type == "declaration" and d.lower_name == prop:
                found = d
    return found


def css_string(text: str) -> str:
    """A CSS string literal holding text exactly."""
    return f'"{serialize_string_value(text)}"'
