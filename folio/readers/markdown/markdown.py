"""The one configured MarkdownIt used for every source."""
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .plugins.abbreviations import abbreviations_plugin
from .plugins.citations import citations_plugin
from .plugins.directives import directives_plugin
from .plugins.divs import divs_plugin
from .plugins.escapes import escapes_plugin
from .plugins.gaps import gaps_plugin
from .plugins.grid_tables import grid_tables_plugin
from .plugins.heading_attrs import heading_attrs_plugin
from .plugins.heading_refs import heading_refs_plugin
from .plugins.html import html_plugin
from .plugins.line_blocks import line_blocks_plugin
from .plugins.multiline_tables import multiline_tables_plugin
from .plugins.nesting import nesting_plugin
from .plugins.roles import roles_plugin
from .plugins.simple_tables import simple_tables_plugin
from .plugins.symbols import symbols_plugin
from .plugins.unsupported import unsupported_plugin
from .plugins.xrefs import xrefs_plugin


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    # Raw HTML is read (plugins/html.py, readers/html.py) into the model, never passed through.
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    # smartquotes only: "replacements" would turn a "(c)" subparagraph into © (dashes: see
    # plugins/dashes.py).
    md.enable(["table", "smartquotes"])
    # Order matters where rules share a first character: folio's references and gaps, then
    # citations, then the constructs of other tools that folio reports (unsupported), then headings by text,
    # all before markdown-it's links. Inline notes (^[…]) are the footnote plugin's; the
    # model gives them labels.
    for plugin in (front_matter_plugin, footnote_plugin, attrs_plugin, attrs_block_plugin,
                   heading_attrs_plugin, gaps_plugin, xrefs_plugin, citations_plugin, roles_plugin, unsupported_plugin,
                   html_plugin, heading_refs_plugin, abbreviations_plugin, symbols_plugin, deflist_plugin,
                   admon_plugin, directives_plugin, divs_plugin, grid_tables_plugin, simple_tables_plugin,
                   multiline_tables_plugin, line_blocks_plugin, escapes_plugin, nesting_plugin):
        md.use(plugin)
    return md
