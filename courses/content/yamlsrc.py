"""Text decoding and a YAML reader that keeps the line and column of every key and value.

`load_yaml` composes PyYAML (SafeLoader) nodes and turns them into `YMap`, `YSeq` and
`YScalar` trees. It refuses what an author never needs and an attacker likes:

- anchors and aliases (a "billion laughs" document is rejected at the first alias, E001);
- nesting deeper than `MAX_DEPTH` (E001);
- explicit tags that SafeLoader cannot build (E001).

Duplicate keys are reported (E010); the last value wins, as in YAML. Scalars keep their
source text and whether they were plain (unquoted), so a schema can say "quote it" when
YAML 1.1 read ``No`` as false or ``012`` as 10.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from courses.content import messages as M
from courses.content.diagnostics import FileReport

MAX_DEPTH = 50
_ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
)
UTF8_BOM = "\ufeff"


@dataclass(eq=False)
class YNode:
    line: int
    col: int


@dataclass(eq=False)
class YScalar(YNode):
    value: object
    text: str
    plain: bool


@dataclass(eq=False)
class YSeq(YNode):
    items: list[YNode] = field(default_factory=list)


@dataclass(eq=False)
class YKey:
    name: str
    line: int
    col: int


@dataclass(eq=False)
class YMap(YNode):
    entries: dict[str, tuple[YKey, YNode]] = field(default_factory=dict)

    def get(self, name: str) -> YNode | None:
        entry = self.entries.get(name)
        return entry[1] if entry else None

    def key(self, name: str) -> YKey | None:
        entry = self.entries.get(name)
        return entry[0] if entry else None

    def __contains__(self, name: object) -> bool:
        return name in self.entries


def decode_text(data: bytes, *, report: FileReport) -> str | None:
    """Decode UTF-8, strip a BOM with a warning (W107); report E015 and return None otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        report(
            "E015",
            M.NOT_UTF8,
            (line, col),
            hint=M.NOT_UTF8_HINT,
            byte=f"{data[exc.start]:02x}",
        )
        return None
    if text.startswith(UTF8_BOM):
        report("W107", M.BOM_STRIPPED, (1, 1), hint=M.BOM_HINT)
        text = text[1:]
    return text


class _Refused(Exception):
    def __init__(self, template: str, mark: yaml.Mark | None, **params: object) -> None:
        super().__init__(template)
        self.template = template
        self.mark = mark
        self.params = params


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and bounds the nesting depth."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(M.YAML_ALIAS, event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(M.YAML_TOO_DEEP, event.start_mark, limit=MAX_DEPTH)
            # types-PyYAML says `index: int`, but PyYAML passes the key node for a mapping value.
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self._depth -= 1


def load_yaml(text: str, *, report: FileReport, line_offset: int = 0) -> YNode | None:
    """Parse one YAML document into positioned nodes; None for an empty document or on E001.

    ``line_offset`` shifts reported lines, for YAML embedded in another file (front matter).
    """
    too_deep = _flow_too_deep(text)
    if too_deep is not None:
        report("E001", M.YAML_TOO_DEEP, (too_deep[0] + line_offset, too_deep[1]), limit=MAX_DEPTH)
        return None
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        report(
            "E001",
            M.YAML_SYNTAX,
            _offset(text, exc.position, line_offset),
            problem=f"character U+{exc.character:04X} is not allowed",
        )
        return None
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        return _Converter(loader, report, line_offset).convert(root)
    except _Refused as exc:
        report("E001", exc.template, _mark(exc.mark, line_offset), hint=None, **exc.params)
        return None
    except yaml.reader.ReaderError as exc:
        report(
            "E001",
            M.YAML_SYNTAX,
            _offset(text, exc.position, line_offset),
            problem=f"character U+{exc.character:04X} is not allowed",
        )
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        report("E001", M.YAML_SYNTAX, _mark(mark, line_offset), problem=problem)
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises the kinds above
        report("E001", M.YAML_SYNTAX, (1 + line_offset, 1), problem=str(exc))
        return None
    finally:
        loader.dispose()


def _offset(text: str, position: int, line_offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return (line + line_offset, position - (text.rfind("\n", 0, position) + 1) + 1)


def _flow_too_deep(text: str) -> tuple[int, int] | None:
    """Find where ``[`` / ``{`` nesting passes `MAX_DEPTH`, in one linear pass.

    PyYAML's scanner is quadratic in flow nesting, so a deep ``[[[[...`` document must be
    refused before it reaches the parser. Quotes are tracked only where a quoted scalar can
    start, so an apostrophe inside plain text does not hide brackets.
    """
    depth = 0
    quote = ""
    line, line_start = 1, 0
    previous = "\n"
    for index, char in enumerate(text):
        if char == "\n":
            line, line_start, quote, previous = line + 1, index + 1, "", char
            continue
        if quote:
            if char == quote and previous != "\\":
                quote = ""
        elif char in "'\"" and previous in " \t\n[{,:":
            quote = char
        elif char == "#" and previous in " \t\n":
            quote = "\n"  # a comment runs to the end of the line
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return (line, index - line_start + 1)
        elif char in "]}":
            depth = max(0, depth - 1)
        previous = char
    return None


def _mark(mark: yaml.Mark | None, line_offset: int) -> tuple[int, int]:
    if mark is None:
        return (1 + line_offset, 1)
    return (mark.line + 1 + line_offset, mark.column + 1)


class _Converter:
    def __init__(self, loader: _Loader, report: FileReport, line_offset: int) -> None:
        self.loader = loader
        self.report = report
        self.offset = line_offset

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        return _mark(node.start_mark, self.offset)

    def convert(self, node: yaml.Node) -> YNode:
        line, col = self.pos(node)
        if node.tag not in _ALLOWED_TAGS:
            problem = f"tag {node.tag} is not supported"
            self.report("E001", M.YAML_BAD_VALUE, (line, col), problem=problem)
            return YScalar(line, col, None, "", True)
        if isinstance(node, yaml.MappingNode):
            result = YMap(line, col)
            for key_node, value_node in node.value:
                key = self.key(key_node)
                value = self.convert(value_node)
                if key is None:
                    continue
                if key.name in result.entries:
                    self.report("E010", M.DUPLICATE_KEY, key, key=key.name)
                result.entries[key.name] = (key, value)
            return result
        if isinstance(node, yaml.SequenceNode):
            return YSeq(line, col, [self.convert(item) for item in node.value])
        assert isinstance(node, yaml.ScalarNode)  # the only other kind of node
        return self.scalar(node)

    def key(self, node: yaml.Node) -> YKey | None:
        line, col = self.pos(node)
        if not isinstance(node, yaml.ScalarNode):
            self.report("E004", M.KEY_NOT_TEXT, (line, col))
            return None
        # Keys are names: keep the source text, so `no:` or `1:` stay "no" and "1".
        return YKey(str(node.value), line, col)

    def scalar(self, node: yaml.ScalarNode) -> YScalar:
        line, col = self.pos(node)
        plain = node.style is None
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            problem = getattr(exc, "problem", None) or str(exc) or type(exc).__name__
            self.report("E001", M.YAML_BAD_VALUE, (line, col), problem=problem)
            value = str(node.value)
        return YScalar(line, col, value, str(node.value), plain)
