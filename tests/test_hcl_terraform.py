"""The HCL writer against real Terraform: `fmt` is a no-op and values round-trip exactly.

Every Terraform binary found here is used (the bundled 1.0.3 and, when present, the newer one
on PATH). Many generated values go into one configuration so one terraform run checks them all.
"""

from __future__ import annotations

import json
import math
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from typhoon_tf.hcl import Attribute, Blank, Block, Comment, Expr, Template, Value, quote, render
from typhoon_tf.testing.terraform_bin import TerraformBinary, available_terraforms, terraform_env

TERRAFORMS = available_terraforms()
pytestmark = pytest.mark.skipif(not TERRAFORMS, reason="no terraform binary on this machine")
IDS = [f"terraform-{tf.version}" for tf in TERRAFORMS]


def run_terraform(tf: TerraformBinary, workdir: Path, *args: str) -> str:
    config = workdir.parent / f"{workdir.name}.tfrc"
    config.write_text("")
    home = workdir.parent / f"{workdir.name}.home"
    home.mkdir(exist_ok=True)
    proc = subprocess.run(
        [str(tf.path), *args],
        cwd=workdir,
        env=terraform_env(config, home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"terraform {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def assert_fmt_clean(workdir: Path) -> None:
    for tf in TERRAFORMS:
        run_terraform(tf, workdir, "fmt", "-check", "-diff", "-recursive", "-no-color")


def evaluate_outputs(tf: TerraformBinary, workdir: Path) -> dict[str, Any]:
    run_terraform(tf, workdir, "init", "-backend=false", "-input=false", "-no-color")
    run_terraform(tf, workdir, "apply", "-auto-approve", "-input=false", "-no-color")
    outputs = json.loads(run_terraform(tf, workdir, "output", "-json"))
    return {name: out["value"] for name, out in outputs.items()}


# --- a fixed corpus of every construct ------------------------------------------------------


def corpus() -> list[Block | Attribute | Comment | Blank]:
    return [
        Comment("Every construct the generators use."),
        Block(
            "terraform",
            [],
            [
                Attribute("required_version", ">= 1.0.0, < 2.0.0"),
                Block(
                    "required_providers",
                    [],
                    [Attribute("tls", {"source": "hashicorp/tls", "version": "~> 4.0"})],
                ),
            ],
        ),
        Block(
            "variable",
            ["networking"],
            [
                Attribute("type", Expr("string")),
                Attribute("description", 'Choice of "networking" provider'),
                Attribute("default", "cilium"),
                Block(
                    "validation",
                    [],
                    [
                        Attribute(
                            "condition",
                            Expr('contains(["flannel", "cilium"], var.networking)'),
                        ),
                        Attribute("error_message", "The networking must be flannel or cilium."),
                    ],
                ),
            ],
        ),
        Block(
            "locals",
            [],
            [
                Attribute("a", 1),
                Attribute("bb", "two"),
                Attribute("text", 'line ${one}\n  line %{two}\n\\three "q"\n'),
                Attribute("ccc", [1, 2.5, None, True]),
                Attribute("obj", {"k": "v", "long key": {"nested": ["x"], "n": -3}}),
                Attribute("url", Template("https://", Expr("var.host"), ":", Expr("var.port"))),
                Attribute("merged", Expr("merge(\n  { a = 1 },\n  { b = 2 },\n)")),
                Blank(),
                Comment("after a blank line"),
                Attribute("unicode", {"é": "中文", "😀": "\u2028"}),
                Attribute("empty", {"list": [], "map": {}, "str": ""}),
            ],
        ),
        Block(
            "resource",
            ["null_resource", "x"],
            [
                Attribute("count", Expr("var.n")),
                Block("triggers_block", [], []),
                Block("lifecycle", [], [Attribute("ignore_changes", [Expr("triggers")])]),
            ],
        ),
    ]


def test_corpus_is_fmt_clean(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(render(corpus()))
    assert_fmt_clean(tmp_path)


# --- property: random values are fmt-clean and round-trip exactly ---------------------------

TRICKY = list('${}%~"\\\n\t $%{}ab=#/*<>')


def nfc_text(min_size: int = 0) -> st.SearchStrategy[str]:
    chars = st.one_of(
        st.sampled_from(TRICKY),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    )
    return st.text(chars, min_size=min_size, max_size=24).map(
        lambda s: unicodedata.normalize("NFC", s)
    )


def multiline_text() -> st.SearchStrategy[str]:
    line = st.text(st.sampled_from([*TRICKY[:-10], " ", "x", "é", "\\"]), max_size=12)
    return st.lists(line, min_size=2, max_size=5).map(lambda lines: "\n".join(lines) + "\n")


Pair = tuple[Value, Any]


def templates() -> st.SearchStrategy[Pair]:
    """`Template(a, ${"b"}, c)` evaluates to a+b+c (interpolations of string literals)."""

    def build(a: str, b: str, c: str) -> Pair:
        return Template(a, Expr(quote(b)), c), a + b + c

    return st.builds(build, nfc_text(), nfc_text(), st.one_of(nfc_text(), multiline_text()))


def scalars() -> st.SearchStrategy[Pair]:
    def same(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Pair]:
        return s.map(lambda v: (v, v))

    return st.one_of(
        same(st.none()),
        same(st.booleans()),
        same(st.integers(min_value=-(2**53), max_value=2**53)),
        same(st.floats(allow_nan=False, allow_infinity=False)),
        same(nfc_text()),
        same(multiline_text()),
        templates(),
    )


def values() -> st.SearchStrategy[Pair]:
    def lists(children: st.SearchStrategy[Pair]) -> st.SearchStrategy[Pair]:
        return st.lists(children, max_size=4).map(
            lambda pairs: ([p[0] for p in pairs], [p[1] for p in pairs])
        )

    def objects(children: st.SearchStrategy[Pair]) -> st.SearchStrategy[Pair]:
        return st.dictionaries(nfc_text(), children, max_size=4).map(
            lambda d: ({k: v[0] for k, v in d.items()}, {k: v[1] for k, v in d.items()})
        )

    return st.recursive(scalars(), lambda c: st.one_of(lists(c), objects(c)), max_leaves=12)


def same_value(got: Any, want: Any) -> bool:
    """JSON equality, with numbers compared by value (Terraform prints 1e300 in full)."""
    if isinstance(want, bool) or want is None or isinstance(want, str):
        return bool(got == want and type(got) is type(want))
    if isinstance(want, int | float):
        return (
            isinstance(got, int | float)
            and not isinstance(got, bool)
            and (got == want or math.isclose(float(got), float(want), rel_tol=1e-15))
        )
    if isinstance(want, list):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(same_value(g, w) for g, w in zip(got, want, strict=True))
        )
    assert isinstance(want, dict)
    return (
        isinstance(got, dict)
        and got.keys() == want.keys()
        and all(same_value(got[k], want[k]) for k in want)
    )


@pytest.mark.parametrize("tf", TERRAFORMS, ids=IDS)
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # Every example is a terraform run: shrinking would take minutes. The failing batch is
    # printed in full instead.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(batch=st.lists(values(), min_size=8, max_size=20))
def test_values_round_trip_through_terraform(
    tf: TerraformBinary, batch: list[Pair], tmp_path_factory: pytest.TempPathFactory
) -> None:
    workdir = tmp_path_factory.mktemp("roundtrip")
    # Wrapping each value in an object lets top-level strings become heredocs and keeps
    # a top-level null (which Terraform drops from outputs) observable.
    blocks = [
        Block("output", [f"v{i}"], [Attribute("value", {"v": hcl})])
        for i, (hcl, _) in enumerate(batch)
    ]
    (workdir / "main.tf").write_text(render(blocks))
    run_terraform(tf, workdir, "fmt", "-check", "-diff", "-no-color")
    got = evaluate_outputs(tf, workdir)
    for i, (_, expected) in enumerate(batch):
        assert same_value(got[f"v{i}"]["v"], expected), (i, got[f"v{i}"], expected)


def unique_names(items: list[Any]) -> list[Any]:
    """Number attribute names: HCL rejects an argument set twice in one body."""
    result: list[Any] = []
    for i, item in enumerate(items):
        if isinstance(item, Attribute):
            item = Attribute(f"{item.name}_{i}", item.value)
        elif isinstance(item, Block):
            item = Block(item.type, item.labels, unique_names(list(item.body)))
        result.append(item)
    return result


def bodies() -> st.SearchStrategy[list[Any]]:
    names = st.from_regex(r"\A[a-z][a-z0-9_]{0,11}\Z")
    attribute = st.builds(Attribute, names, values().map(lambda p: p[0]))
    comment = st.builds(Comment, st.text(st.sampled_from(list("ab #/*\n")), max_size=20))
    leaf = st.one_of(attribute, attribute, comment, st.just(Blank()))

    def blocks(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.builds(
            Block,
            names,
            st.lists(st.text(st.sampled_from(list("ab-_ ./:")), max_size=8), max_size=2),
            st.lists(children, max_size=5),
        )

    items = st.lists(st.recursive(leaf, blocks, max_leaves=10), min_size=1, max_size=6)
    return items.map(unique_names)


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # Every example is a terraform run: shrinking would take minutes. The failing batch is
    # printed in full instead.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(files=st.lists(bodies(), min_size=5, max_size=10))
def test_random_documents_are_fmt_clean(
    files: list[list[Any]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    workdir = tmp_path_factory.mktemp("fmt")
    for i, items in enumerate(files):
        (workdir / f"f{i}.tf").write_text(render(items))
    assert_fmt_clean(workdir)


def test_rendering_is_deterministic() -> None:
    assert render(corpus()) == render(corpus())
