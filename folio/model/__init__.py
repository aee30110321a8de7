"""The document model: plain data, no behaviour, and the helpers that walk it.

`from folio import model as m` gives the node types (m.Paragraph, m.Heading, …)."""
from .nodes import *  # noqa: F403  (the node types are the package's public names)
