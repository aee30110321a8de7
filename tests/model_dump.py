"""A readable dump of the model, for the syntax fixtures (tests/fixtures/syntax/): one line per
block, nested blocks indented, inlines as their text with a few marks, then the messages.

    Paragraph: text with *emphasis*, [a link](#target), note[^label], `code`, <br>
    Table #tbl-x (caption: …)  head: a | b  ·  row: 1 | 2   (alignments as :a, a:, :a:)
"""
from __future__ import annotations

from folio import model as m
from folio.diagnostics import Reporter
from folio.readers.markdown import parse_text
from folio.transforms import run_transforms


def inline_text(nodes) -> str:
    out = []
    for node in nodes:
        name = type(node).__name__
        if isinstance(node, m.Text):
            out.append(node.text)
        elif isinstance(node, (m.SoftBreak,)):
            out.append(" ")
        elif isinstance(node, m.LineBreak):
            out.append("<br>")
        elif isinstance(node, m.Code):
            out.append(f"`{node.text}`")
        elif isinstance(node, m.Emph):
            out.append(f"*{inline_text(node.children)}*")
        elif isinstance(node, m.Strong):
            out.append(f"**{inline_text(node.children)}**")
        elif isinstance(node, m.Superscript):
            out.append(f"^{inline_text(node.children)}^")
        elif isinstance(node, m.Subscript):
            out.append(f"~{inline_text(node.children)}~")
        elif isinstance(node, m.Cited):     # what a citation became: its words, as written
            out.append(inline_text(node.children))
        elif isinstance(node, m.Link):      # HeadingRef too: its target shows where it goes
            out.append(f"[{inline_text(node.children)}]({node.href})")
        elif isinstance(node, m.FootnoteRef):
            out.append(f"[^{node.label}]")
        elif isinstance(node, m.XRef):
            out.append(f"@{node.label}")
        elif isinstance(node, m.Gap):
            out.append("{gap}")
        elif isinstance(node, (m.Symbol, m.Abbr)):
            out.append(getattr(node, "symbol", None) or node.abbr)
        else:
            out.append(f"<{name}>")
    return "".join(out)


def _cell(cell: m.TableCell) -> str:
    text = inline_text(cell.children) if not cell.blocks else "[" + " / ".join(
        line.strip() for b in cell.blocks for line in dump_block(b, 0)) + "]"
    text += (f"{{c{cell.colspan}}}" if cell.colspan > 1 else "") + (f"{{r{cell.rowspan}}}" if cell.rowspan > 1 else "")
    return {"left": f":{text}", "right": f"{text}:", "center": f":{text}:"}.get(cell.align, text)


def dump_block(block, depth: int) -> list[str]:
    pad = "  " * depth
    name = type(block).__name__
    label = f" #{block.label}" if getattr(block, "label", "") else ""
    if isinstance(block, m.Table):
        caption = f" (caption: {inline_text(block.caption)})" if block.caption else ""
        lines = [f"{pad}Table{label}{caption}"]
        lines += [f"{pad}  head: " + " | ".join(_cell(c) for c in row) for row in block.head]
        lines += [f"{pad}  row: " + " | ".join(_cell(c) for c in row) for row in block.body]
        return lines
    if isinstance(block, m.DefinitionList):
        lines = [f"{pad}DefinitionList{label}"]
        for item in block.items:
            lines.append(f"{pad}  term: {inline_text(item.term)}")
            for definition in item.definitions:
                lines.append(f"{pad}  definition:")
                lines += [x for b in definition for x in dump_block(b, depth + 2)]
        return lines
    if isinstance(block, m.Div):
        classes = "".join(f" .{c}" for c in block.classes)
        title = f" (title: {inline_text(block.title)})" if block.title else ""
        return [f"{pad}Div{label}{classes}{title}"] + [x for b in block.blocks for x in dump_block(b, depth + 1)]
    if isinstance(block, (m.BlockQuote,)):
        return [f"{pad}{name}"] + [x for b in block.blocks for x in dump_block(b, depth + 1)]
    if isinstance(block, m.ListBlock):
        lines = [f"{pad}{name}{' ordered' if block.ordered else ''}"]
        for item in block.items:
            lines += [f"{pad}  item:"] + [x for b in item.blocks for x in dump_block(b, depth + 2)]
        return lines
    if isinstance(block, m.CodeBlock):
        return [f"{pad}CodeBlock: {block.text.rstrip()!r}"]
    if isinstance(block, m.Figure):
        caption = f" (caption: {inline_text(block.caption)})" if block.caption else ""
        return [f"{pad}Figure{label}: {block.src}{caption}"]
    if isinstance(block, (m.Paragraph, m.Heading)):
        return [f"{pad}{name}{label}: {inline_text(block.children)}"]
    return [f"{pad}{name}{label}"]


def dump(text: str, path: str = "t.md") -> str:
    reporter = Reporter()
    doc = parse_text(text, path, reporter)
    run_transforms(doc, reporter)
    lines = [x for b in doc.blocks for x in dump_block(b, 0)]
    for note in doc.footnote_order:
        lines.append(f"Footnote {note.label}:")
        lines += [x for b in note.blocks for x in dump_block(b, 1)]
    lines += [str(msg) for msg in reporter.messages]
    return "\n".join(lines) + "\n"
