"""The classes of a div that folio sets apart as a box, in every edition, under a title.

Names come from the tools users bring: pandoc and Quarto (`::: warning`, `.callout-note`),
MyST (`:::{tip}`), Python-Markdown and MkDocs (`!!! danger`), GitHub. Each falls into one of
five kinds, and each kind has its word (folio.i18n, `boxes:`), its CSS class and its Word style
("Box Note" …). A class not here leaves the div's blocks as they are."""
from __future__ import annotations

KINDS = ("note", "tip", "important", "warning", "caution")
BOXES = {
    "note": "note", "info": "note", "seealso": "note", "abstract": "note", "summary": "note",
    "example": "note", "quote": "note", "admonition": "note",
    "tip": "tip", "hint": "tip", "success": "tip",
    "important": "important", "attention": "important", "question": "important",
    "warning": "warning", "bug": "warning",
    "caution": "caution", "danger": "caution", "error": "caution", "failure": "caution",
}


def box_kind(classes) -> str:
    """The box kind of a div's classes ('' if none is a box): `callout-note` is `note`."""
    for name in classes:
        kind = BOXES.get(name.casefold().removeprefix("callout-"))
        if kind:
            return kind
    return ""
