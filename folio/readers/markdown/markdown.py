"""The one configured MarkdownIt used for every source."""
from functools import lru_cache, partial

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .plugins.abbreviations import abbreviations_plugin
from .plugins.gaps import gaps_plugin
from .plugins.heading_attrs import heading_attrs_plugin
from .plugins.symbols import symbols_plugin
from .plugins.xrefs import xrefs_plugin


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    # Raw HTML is off: a report's source is text, and HTML in it would reach every output.
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    # smartquotes only: "replacements" would turn a "(c)" subparagraph into ©.
    md.enable(["table", "smartquotes"])
    # Inline notes (^[text]) are not folio syntax, and their tokens carry no label: "# [^[]"
    # crashed the model (fuzz fixture footnote-inline-caret). Footnotes are [^x] only.
    notes = partial(footnote_plugin, inline=False)
    for plugin in (front_matter_plugin, notes, attrs_plugin, attrs_block_plugin,
                   heading_attrs_plugin, gaps_plugin, xrefs_plugin, abbreviations_plugin,
                   symbols_plugin):
        md.use(plugin)
    return md
