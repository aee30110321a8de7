"""YAML as folio reads it (front matter, styles/docx-styles.yaml): PyYAML's safe loader with
no aliases, no duplicate keys and no numbers of absurd size, every problem with its line.

An alias (`*a`) is refused where it is written: nested anchors and aliases (the "billion
laughs") are a few lines of YAML that expand to gigabytes once folio turns a value into text,
and a report's settings have no use for them. PyYAML's own errors, and the ValueError,
RecursionError or MemoryError its constructors can raise, all become one YamlProblem."""
from __future__ import annotations

import collections.abc
import re
from dataclasses import dataclass

import yaml
from yaml.constructor import ConstructorError

MAX_DIGITS = 40       # a longer number is no setting; int() of thousands of digits fails or crawls
# PyYAML's scanner re-reads every open flow collection at every token: `[` nested 3,000 deep
# took 10 s. Settings nest two or three levels; deeper is refused before PyYAML sees it.
MAX_DEPTH = 64
BRACKETS = re.compile(r"[\[\]{}]|'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"")


@dataclass
class YamlProblem(Exception):
    line: int          # 1-based inside the YAML text; 0 when unknown
    text: str

    def __str__(self) -> str:
        return self.text


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate keys, and remembers each top-level key's line."""

    def __init__(self, stream):
        super().__init__(stream)
        self.key_lines: dict = {}
        self._root = None

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"an alias (*{event.anchor}) is not allowed here: write the value out",
                event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self._check_duplicates(node)
        return super().construct_mapping(node, deep=deep)

    def _check_duplicates(self, node) -> None:
        seen: dict = {}
        top = node is self._root
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key, line = self.construct_object(key_node), key_node.start_mark.line + 1
            if not isinstance(key, collections.abc.Hashable):
                continue
            if key in seen:
                raise ConstructorError(None, None, f"duplicate key '{key}' (first at line {seen[key]})",
                                       key_node.start_mark)
            seen[key] = line
            if top:
                self.key_lines.setdefault(key, line)

    def construct_yaml_int(self, node):
        if len(node.value) > MAX_DIGITS:
            raise ConstructorError(None, None, f"a number of {len(node.value)} characters is not"
                                   f" a setting (at most {MAX_DIGITS})", node.start_mark)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:  # 2017-13-01: YAML's pattern matched, the date cannot be
            raise ConstructorError(None, None, f"'{node.value}' is not a date ({exc})", node.start_mark) from exc

    def get_single_data(self):
        self._root = self.get_single_node()
        return self.construct_document(self._root) if self._root is not None else None


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _check_depth(text: str) -> None:
    """YamlProblem if flow collections ([…], {…}) nest deeper than MAX_DEPTH (quoted text skipped)."""
    depth = 0
    for match in BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(text.count("\n", 0, match.start()) + 1,
                                  f"lists or mappings nested more than {MAX_DEPTH} deep")
        elif token in "]}":
            depth = max(0, depth - 1)


def load(text: str) -> tuple[object, dict]:
    """(the data, {top-level key: its 1-based line}); YamlProblem if the text is not safe YAML."""
    _check_depth(text)
    loader = None
    try:
        loader = _Loader(text)       # its reader refuses a character YAML does not print (U+0080)
        return loader.get_single_data(), loader.key_lines
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(0, exc.position)) + 1
        raise YamlProblem(line, f"the character U+{exc.character:04X} is not allowed in YAML: remove it"
                          " or write it as an escape inside double quotes") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlProblem(mark.line + 1 if mark else 0, problem) from None
    except RecursionError:
        raise YamlProblem(0, "nested too deeply") from None
    except (ValueError, OverflowError, MemoryError) as exc:
        raise YamlProblem(0, str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    finally:
        if loader is not None:
            loader.dispose()
