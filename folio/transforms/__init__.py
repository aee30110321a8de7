"""The transforms, in the one order they run. Each takes (document, reporter)."""
from .abbreviations import build_abbreviation_table, mark_abbreviations
from .contents import assign_heading_ids, build_contents
from .footnotes import number_footnotes
from .invisible import check_invisible_characters
from .numbering import number_headings, number_paragraphs, number_tables_and_figures
from .structure import split_parts
from .xrefs import collect_targets, resolve_xrefs

TRANSFORMS = [
    check_invisible_characters,  # reads the text as written, before anything is derived from it
    split_parts,
    number_headings,
    number_paragraphs,
    number_tables_and_figures,
    number_footnotes,
    collect_targets,           # after all numbering: a target carries its number
    resolve_xrefs,
    mark_abbreviations,
    build_abbreviation_table,
    assign_heading_ids,        # after targets: authors' labels win
    build_contents,
]


def run_transforms(doc, reporter) -> None:
    for transform in TRANSFORMS:
        transform(doc, reporter)
