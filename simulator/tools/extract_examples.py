"""Pull the JSON examples out of the Camera HTTP API User Guide text.

Usage: python -m simulator.tools.extract_examples GUIDE.txt COMMANDS.txt OUT.json

The guide was converted from PDF: examples are split across page breaks, wrapped in
``<pre>`` tags, carry stray closing brackets and list options as ``{"Auto" "Off"}``.
A tolerant token parser repairs the common damage; each example is filed under the
command named in its own ``"cmd"`` field (section headers are sometimes missing).
"""

import json
import re
import sys
from pathlib import Path
from typing import Any

TOKEN_RE = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|[“”][^“”\n]*[“”]|-?\d+(?:\.\d+)?|true|false|null|[{}\[\]:,]'
)
REGION_START_RE = re.compile(r"Data example|Return data correctly")
REGION_END = "Field description"
CLOSERS = {"}", "]"}


def tokenize(text: str) -> list[str]:
    """JSON tokens of a text fragment; prose words and comments are dropped."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return TOKEN_RE.findall(text)


def _is_string(tok: str | None) -> bool:
    return tok is not None and tok[0] in '"“”'


def _string_value(tok: str) -> str:
    if tok[0] == '"':
        return str(json.loads(tok))
    return tok[1:-1]


def _scalar(tok: str) -> Any:
    if _is_string(tok):
        return _string_value(tok)
    if tok in ("true", "false", "null"):
        return json.loads(tok)
    return float(tok) if "." in tok else int(tok)


class TolerantParser:
    """Recursive descent over JSON tokens that survives the guide's typical damage."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, ahead: int = 0) -> str | None:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> str:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def at_end(self) -> bool:
        return self.pos >= len(self.tokens)

    def value(self) -> Any:
        tok = self.peek()
        if tok == "{":
            return self.obj()
        if tok == "[":
            return self.arr()
        if tok is None or tok in CLOSERS or tok in ":,":
            return None
        return _scalar(self.take())

    def _key_follows_closer_run(self) -> bool:
        """A run of closers directly followed by ``"key":`` is a page-break artefact."""
        ahead = 0
        while self.peek(ahead) in CLOSERS:
            ahead += 1
        return ahead > 1 and _is_string(self.peek(ahead)) and self.peek(ahead + 1) == ":"

    def _skip_closer_run(self) -> None:
        while self.peek() in CLOSERS:
            self.take()

    def obj(self) -> Any:
        self.take()
        items: dict[str, Any] = {}
        bare: list[Any] = []
        while not self.at_end():
            tok = self.peek()
            if tok == "}":
                if self._key_follows_closer_run():
                    self._skip_closer_run()
                else:
                    self.take()
                break
            if tok in (",", "]", ":"):
                self.take()
            elif _is_string(tok) and self.peek(1) == ":":
                key = _string_value(self.take())
                self.take()
                items[key] = self.value()
            elif tok in ("{", "["):
                nested = self.value()
                if isinstance(nested, dict):
                    items.update(nested)
            else:
                bare.append(_scalar(self.take()))
        if bare and not items:
            return bare
        return items

    def arr(self) -> list[Any]:
        self.take()
        items: list[Any] = []
        while not self.at_end():
            tok = self.peek()
            if tok == "]":
                self.take()
                break
            if tok in (",", "}", ":"):
                self.take()
            elif _is_string(tok) and self.peek(1) == ":":
                break
            else:
                items.append(self.value())
        return items

    def all_values(self) -> list[Any]:
        values = []
        while not self.at_end():
            if self.peek() in ("{", "["):
                values.append(self.value())
            else:
                self.take()
        return values


def find_commands(node: Any) -> list[dict[str, Any]]:
    """Every dict carrying a ``cmd`` key, searched depth first."""
    if isinstance(node, dict):
        if isinstance(node.get("cmd"), str):
            return [node]
        return [found for child in node.values() for found in find_commands(child)]
    if isinstance(node, list):
        return [found for child in node for found in find_commands(child)]
    return []


def regions(text: str) -> list[str]:
    """Text between each example heading and the following field table."""
    found = []
    for match in REGION_START_RE.finditer(text):
        end = text.find(REGION_END, match.end())
        found.append(text[match.end() : end if end >= 0 else len(text)])
    return found


def _richness(example: dict[str, Any]) -> int:
    return len(json.dumps(example))


def extract(guide_text: str, command_names: list[str]) -> dict[str, dict[str, Any]]:
    """Map each command to its best request ``param`` and response value/initial/range."""
    canonical = {name.lower(): name for name in command_names}
    result: dict[str, dict[str, Any]] = {}
    for region in regions(guide_text):
        parsed = TolerantParser(tokenize(region)).all_values()
        for node in find_commands(parsed):
            name = canonical.get(str(node["cmd"]).strip().lower())
            if name is None:
                continue
            entry = result.setdefault(name, {})
            if "code" in node:
                response = {k: node[k] for k in ("value", "initial", "range") if k in node}
                if _richness(response) > _richness(entry.get("response", {})):
                    entry["response"] = response
            elif isinstance(node.get("param"), dict):
                if _richness(node["param"]) > _richness(entry.get("request", {})):
                    entry["request"] = node["param"]
    return dict(sorted(result.items()))


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        sys.stderr.write(__doc__ or "")
        return 2
    guide_text = Path(argv[1]).read_text(encoding="utf-8")
    names = Path(argv[2]).read_text(encoding="utf-8").split()
    examples = extract(guide_text, names)
    Path(argv[3]).write_text(
        json.dumps(examples, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
