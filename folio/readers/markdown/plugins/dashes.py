"""Dashes as pandoc's smart extension types them: `---` an em dash, `--` an en dash.

markdown-it's own "replacements" would do it too, but it also turns a "(c)" subparagraph
marker into ©, so it stays off. The replacement is made where a text token becomes a model
node (to_model), after its span is found, so spans keep pointing at what the author typed.
Code, links' targets and URLs are not text tokens, and keep their hyphens."""
import re

# As markdown-it's replacements: a run of exactly three hyphens, then of exactly two.
EM = re.compile(r"(?<!-)---(?!-)")
EN = re.compile(r"(?<!-)--(?!-)")


def dashes(text: str) -> str:
    if "--" not in text:
        return text
    return EN.sub("\u2013", EM.sub("\u2014", text))
