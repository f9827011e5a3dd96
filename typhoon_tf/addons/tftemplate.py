"""Render the bootstrap module's Terraform templates with *symbolic* values.

The component addon modules are derived from the very templates the bootstrap module
renders with `templatefile()` (one source of truth). Instead of evaluating the template,
every `${EXPR}` interpolation becomes a sentinel token that records EXPR (with the
template's variable names rewritten to the addon module's expressions), so the YAML can be
parsed and turned into typed HCL whose strings carry the same expressions. Values known
at generate time (images, node directories) are substituted as plain text.

Only the subset of the template language the component templates use is understood:
`${...}` interpolations, the `$${` escape, `%{ for X in LIST ~}` loops (the body is emitted
once with a loop sentinel; the HCL converter turns it into a `dynamic` block) and
`%{ if COND ~}` around list items (emitted with a condition sentinel). Anything else is an
error, so a template change cannot be silently mistranslated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# Sentinels are plain identifiers so they survive YAML plain scalars, quoted strings and
# the JSON inside block scalars unchanged.
EXPR_SENTINEL = "zzexpr{index}zz"
EACH_SENTINEL = "zzeach{index}zz"
IF_SENTINEL = "zzif{index}zz"
SENTINEL = re.compile(r"zz(expr|each|if)(\d+)zz")

_DIRECTIVE = re.compile(r"%\{(~?)\s*(.*?)\s*(~?)\}")
_IDENTIFIER = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*')
_INDEX = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*)\["([^"]+)"\]$')


class TemplateError(ValueError):
    """A template uses syntax this renderer does not translate."""


@dataclass
class Symbols:
    """What the sentinels in a rendered template stand for."""

    expressions: list[str] = field(default_factory=list)  # zzexprNzz -> HCL expression
    loops: list[str] = field(default_factory=list)  # zzeachNzz -> HCL list expression
    conditions: list[str] = field(default_factory=list)  # zzifNzz -> HCL bool expression

    def expression(self, hcl: str) -> str:
        self.expressions.append(hcl)
        return EXPR_SENTINEL.format(index=len(self.expressions) - 1)


@dataclass(frozen=True)
class Bindings:
    """How template variables map into the addon module.

    `constants` are known at generate time and substituted as text (a mapping value is
    indexable: `images["coredns"]`); `expressions` are HCL expressions of the addon module.
    """

    constants: Mapping[str, str | Mapping[str, str]]
    expressions: Mapping[str, str]


def render_symbolic(text: str, bindings: Bindings) -> tuple[str, Symbols]:
    """`text` with interpolations and directives replaced by constants or sentinels."""
    state = _State(bindings)
    pos = 0
    while pos < len(text):
        start = _next_opening(text, pos)
        if start < 0:
            state.out.append(_literal(text[pos:]))
            break
        state.out.append(_literal(text[pos:start]))
        if text.startswith("%{", start):
            match = _DIRECTIVE.match(text, start)
            if match is None:
                raise TemplateError(f"unterminated directive at offset {start}")
            if match.group(1):
                raise TemplateError("`%{~` is not used by the component templates")
            state.directive(match.group(2))
            pos = match.end()
            if match.group(3):
                pos = _skip_whitespace(text, pos)
            continue
        end = text.find("}", start)
        if end < 0:
            raise TemplateError(f"unterminated interpolation at offset {start}")
        state.out.append(state.interpolation(text[start + 2 : end].strip()))
        pos = end + 1
    if state.stack:
        raise TemplateError(f"unclosed %{{ {state.stack[-1].kind} }}")
    return "".join(state.out), state.symbols


@dataclass
class _Frame:
    kind: str  # "for" or "if"
    index: int
    name: str = ""  # the loop variable
    start: int = 0  # where the body starts in `out`


@dataclass
class _State:
    bindings: Bindings
    symbols: Symbols = field(default_factory=Symbols)
    out: list[str] = field(default_factory=list)
    stack: list[_Frame] = field(default_factory=list)

    def directive(self, body: str) -> None:
        loop = re.fullmatch(r"for\s+([A-Za-z_]\w*)\s+in\s+(.+)", body)
        cond = re.fullmatch(r"if\s+(.+)", body)
        if loop:
            self.symbols.loops.append(_rewrite(loop.group(2), self.bindings))
            index = len(self.symbols.loops) - 1
            self.stack.append(_Frame("for", index, name=loop.group(1)))
        elif cond:
            self.symbols.conditions.append(_rewrite(cond.group(1), self.bindings))
            index = len(self.symbols.conditions) - 1
            self.stack.append(_Frame("if", index, start=len(self.out)))
        elif body == "endfor" and self.stack and self.stack[-1].kind == "for":
            self.stack.pop()
        elif body == "endif" and self.stack and self.stack[-1].kind == "if":
            self._close_if(self.stack.pop())
        else:
            raise TemplateError(f"unsupported directive %{{ {body} }}")

    def _close_if(self, frame: _Frame) -> None:
        # Only a single YAML list item may be conditional: it is marked, and the HCL
        # converter builds the list with a conditional part around it.
        body = "".join(self.out[frame.start :])
        item = re.fullmatch(r"(\s*-\s+)([^\n]*\n?)", body)
        if item is None:
            raise TemplateError(f"%{{ if }} must wrap one list item, not {body!r}")
        marker = IF_SENTINEL.format(index=frame.index)
        del self.out[frame.start :]
        self.out.append(item.group(1) + marker + item.group(2))

    def interpolation(self, expr: str) -> str:
        for frame in self.stack:
            if frame.kind == "for" and expr == frame.name:
                return EACH_SENTINEL.format(index=frame.index)
        indexed = _INDEX.match(expr)
        constants = self.bindings.constants
        if indexed and isinstance(constants.get(indexed.group(1)), Mapping):
            table = constants[indexed.group(1)]
            assert isinstance(table, Mapping)
            return str(table[indexed.group(2)])
        constant = constants.get(expr)
        if isinstance(constant, str):
            return constant
        return self.symbols.expression(_rewrite(expr, self.bindings))


def _next_opening(text: str, pos: int) -> int:
    """Offset of the next `${` or `%{` that is not an escape (`$${`, `%%{`)."""
    for match in re.finditer(r"(\$\$|%%)\{|[$%]\{", text[pos:]):
        if match.group(1) is None:
            return pos + match.start()
    return -1


def _literal(text: str) -> str:
    return text.replace("$${", "${").replace("%%{", "%{")


def _skip_whitespace(text: str, pos: int) -> int:
    # Terraform's `~}` strips spaces and tabs and then one line break, not the next line's
    # indentation (checked against templatefile()).
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    for newline in ("\r\n", "\n"):
        if text.startswith(newline, pos):
            return pos + len(newline)
    return pos


def _rewrite(expr: str, bindings: Bindings) -> str:
    """`expr` with template variable names replaced by the addon's expressions."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith('"'):
            return token
        if token in bindings.expressions:
            return _parenthesize(bindings.expressions[token])
        if token in bindings.constants:
            raise TemplateError(f"constant {token!r} used inside an expression: {expr}")
        if token in ("true", "false", "null"):
            return token
        raise TemplateError(f"template variable {token!r} has no binding in the addon")

    return _IDENTIFIER.sub(replace, expr)


def _parenthesize(expr: str) -> str:
    simple = re.fullmatch(r"[A-Za-z_][\w.]*(\[[^\]]*\])?", expr)
    return expr if simple else f"({expr})"
