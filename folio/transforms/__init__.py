"""The transforms, in the one order they run. Each takes (document, reporter)."""
from .abbreviations import build_abbreviation_table, mark_abbreviations
from .citation import build_citation
from .cites import resolve_citations
from .compose import compose
from .contents import build_contents
from .footnotes import number_footnotes
from .gaps import list_gaps
from .ids import assign_ids
from .images import resolve_images
from .invisible import check_invisible_characters
from .links import check_links
from .numbering import number_headings, number_paragraphs, number_tables_and_figures
from .punctuation import space_punctuation
from .reissue import mark_reissue
from .structure import split_parts
from .xrefs import collect_targets, resolve_xrefs

TRANSFORMS = [
    check_invisible_characters,  # reads the text as written, before anything is derived from it
    resolve_citations,         # before anything is numbered: citations become notes, the references a part
    split_parts,
    assign_ids,                # first: numbers keep the ids of the headings they belong to
    number_headings,
    number_paragraphs,
    number_tables_and_figures,
    number_footnotes,
    list_gaps,                 # after the notes: gaps in notes are listed in call order
    collect_targets,           # after all numbering: a target carries its number
    resolve_xrefs,
    check_links,               # one allow-list of link targets for every edition
    mark_abbreviations,
    build_abbreviation_table,
    resolve_images,
    space_punctuation,         # the language's spaces around punctuation, before titles are copied
    build_contents,
    compose,
    build_citation,            # from the front matter alone: the web page and the imprint print it
    mark_reissue,              # the asterisk after the symbol and its note (the citation keeps the plain symbol)
]


def run_transforms(doc, reporter) -> None:
    for transform in TRANSFORMS:
        transform(doc, reporter)
