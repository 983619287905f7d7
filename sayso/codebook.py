"""Research codebooks: YAML files of codes with cues, loaded and checked with line numbers."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

REQUIRED = ("id", "label", "definition")


class CodebookError(ValueError):
    pass


@dataclass(frozen=True)
class Code:
    id: str
    label: str
    group: str
    definition: str
    include: tuple = ()  # phrases (str) or spaCy token patterns (lists of dicts)
    exclude: tuple = ()
    examples: tuple = ()


@dataclass(frozen=True)
class Scope:
    """What passages a codebook is for: a document is coded only when it holds at least
    `min_distinct` different cues of its domain."""

    domain: str = ""
    cues: tuple = ()
    min_distinct: int = 1


@dataclass(frozen=True)
class Codebook:
    name: str
    codes: tuple[Code, ...] = field(default_factory=tuple)
    path: str | None = None
    scope: Scope | None = None  # None: the codebook applies to every document

    def by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}


def validate(text: str, where: str = "codebook") -> list[str]:
    """Problems with a codebook's YAML, each naming its line; [] when it is fine."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        return [f"{where}{line}: not valid YAML: {getattr(err, 'problem', None) or err}"]
    if root is None or not isinstance(root, yaml.MappingNode):
        return [f"{where}: a codebook is a mapping with a 'codes' list"]
    top = {k.value: v for k, v in root.value}
    codes = top.get("codes")
    if not isinstance(codes, yaml.SequenceNode) or not codes.value:
        return [f"{where}:{root.start_mark.line + 1}: the codebook has no codes"]
    problems, seen = _scope_problems(top.get("scope"), where), {}
    for node in codes.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(f"{where}:{line}: a code must be a mapping with id, label and definition")
            continue
        fields = {k.value: v for k, v in node.value}
        for name in REQUIRED:
            if name not in fields or not getattr(fields[name], "value", None):
                problems.append(f"{where}:{line}: code is missing '{name}'")
        code_id = getattr(fields.get("id"), "value", None)
        if code_id in seen:
            problems.append(f"{where}:{line}: code id {code_id!r} repeats the one on line {seen[code_id]}")
        elif code_id:
            seen[code_id] = line
        include = fields.get("include")
        if not isinstance(include, yaml.SequenceNode) or not include.value:
            problems.append(f"{where}:{line}: code {code_id or '?'} has no include cues")
        for key in ("include", "exclude"):
            cues = fields.get(key)
            if cues is not None and not isinstance(cues, yaml.SequenceNode):
                problems.append(f"{where}:{cues.start_mark.line + 1}: '{key}' must be a list")
    return problems


def _scope_problems(node, where: str) -> list[str]:
    if node is None:
        return []
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        return [f"{where}:{line}: 'scope' must be a mapping with 'cues' (and optional 'domain', 'min_distinct')"]
    fields = {k.value: v for k, v in node.value}
    problems = []
    cues = fields.get("cues")
    if not isinstance(cues, yaml.SequenceNode) or not cues.value:
        problems.append(f"{where}:{line}: 'scope' needs a non-empty 'cues' list")
    minimum = fields.get("min_distinct")
    if minimum is not None and not (isinstance(minimum, yaml.ScalarNode) and minimum.value.isdigit()
                                    and int(minimum.value) >= 1):
        problems.append(f"{where}:{minimum.start_mark.line + 1}: 'min_distinct' must be a whole number >= 1")
    return problems


def load(path: str | Path | None = None) -> Codebook:
    """The shipped codebook, or the user's YAML file (checked first)."""
    if path is None:
        return _shipped()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise CodebookError(f"{path}: not a UTF-8 text file") from None
    return _parse(text, str(path))


@lru_cache(maxsize=1)
def _shipped() -> Codebook:
    text = resources.files("sayso.data").joinpath("codebook.yaml").read_text("utf-8")
    return _parse(text, "sayso/data/codebook.yaml")


def _parse(text: str, where: str) -> Codebook:
    problems = validate(text, where)
    if problems:
        raise CodebookError("\n".join(problems))
    data = yaml.safe_load(text)
    codes = tuple(Code(str(c["id"]), str(c["label"]), str(c.get("group") or ""), str(c["definition"]),
                       tuple(_freeze(x) for x in c.get("include") or ()),
                       tuple(_freeze(x) for x in c.get("exclude") or ()),
                       tuple(str(x) for x in c.get("examples") or ()))
                  for c in data["codes"])
    scope = data.get("scope")
    if scope:
        scope = Scope(str(scope.get("domain") or ""), tuple(_freeze(x) for x in scope["cues"]),
                      int(scope.get("min_distinct") or 1))
    return Codebook(str(data.get("name") or Path(where).stem), codes, where, scope or None)


def _freeze(cue):
    """Cues are hashable: a phrase stays a string, a token pattern becomes a tuple of item tuples."""
    if isinstance(cue, list):
        return tuple(tuple(sorted(token.items())) for token in cue)
    return str(cue)
