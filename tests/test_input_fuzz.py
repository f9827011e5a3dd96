"""Property-based fuzzing of the readers (issue 12): mutated valid cluster configs and
Butane configs — wrong types, deletions, huge and special values, aliases, unicode, cut
text — never give a traceback, a hang or a partial write.

Every example must end in exit 0 with complete output, or exit 2 with one line. Runs
derandomized (a fixed seed), in-process for speed, with a hang guard per example. The
examples run and the distinct error messages reached are printed (`pytest -s`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inputcheck import Outcome, run_cli, snapshot

ROOT = Path(__file__).parent.parent
CLUSTER_SEEDS = sorted((ROOT / "typhoon_tf" / "config" / "examples").glob("*.yaml"))
BUTANE_SEEDS = [
    ROOT / "typhoon_tf" / "examples" / "node.bu",
    *(
        ROOT / "tests" / "data" / "conformance" / "butane" / name / "input.bu"
        for name in (
            "05-fcos10-units-passwd",
            "15-fcos12-append",
            "19-fcos14-kernel-args",
            "23-fcos14-unicode",
            "29-fcos15-special-modes",
            "36-flatcar10-basic",
            "50-passwd-full",
        )
    ),
]
# CI's fixed budget; TYPHOON_TF_FUZZ_SCALE=N multiplies it for a deeper local run.
SCALE = int(os.environ.get("TYPHOON_TF_FUZZ_SCALE", "1"))
CLUSTER_EXAMPLES = 240 * SCALE
BUTANE_EXAMPLES = 160 * SCALE
PER_EXAMPLE_GUARD = 60.0  # seconds; a hang guard, never a speed assertion
GENERATED = {".typhoon-tf.json", "main.tf", "outputs.tf", "versions.tf", "README.md", "modules"}

SPECIAL_SCALARS = [
    ".nan", ".inf", "-.inf", "~", "null", "yes", "off", "0o777", "0x1F", "1e999", "1.0e+30",
    "-1", "0", "2024-01-01", "!!binary aGVsbG8=", "!!set {a}", "'\\u0000'", '"\\0"',
    "9" * 5000, "[]", "{}", "''", "ssh-rsa AAAA\\nssh-rsa BBBB", '"a\\nb"', "&x 1", "*nope",
    "'\u202e\u0000'", "\U0001f600", "\u00e9\u0301", "!!python/object:os.system x",
]  # fmt: skip

_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=24),
        st.sampled_from(["x" * 70_000, "a-b", "us-east-1", "ssh-ed25519 AAAA", "/dev/zero"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)

T = TypeVar("T")


class Draw(Protocol):
    """`draw` of `@st.composite` and `st.data()`'s `data.draw` (st.DrawFn also asks for a
    `__signature__`, which a bound method does not declare)."""

    def __call__(self, strategy: st.SearchStrategy[T], label: Any = None) -> T: ...


# Per strategy: message -> count, for the report.
MESSAGES: dict[str, Counter[str]] = {"cluster": Counter(), "butane": Counter()}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


def _mutate_data(draw: Draw, doc: Any) -> Any:
    """Delete, replace or add values at random key paths of the parsed document."""
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            return draw(_values)
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        action = draw(st.sampled_from(["delete", "replace", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(_values)
        elif isinstance(parent, dict):
            key = draw(st.one_of(st.sampled_from(sorted(map(str, parent))), st.text(max_size=12)))
            parent[key] = draw(_values)
        else:
            parent.append(draw(_values))
    return doc


def _alias_text(draw: Draw, text: str) -> str:
    """Anchors and aliases: a bomb chain, a self-reference, a dangling alias, a merge key."""
    kind = draw(st.sampled_from(["bomb", "recursive", "dangling", "merge", "reuse"]))
    key = draw(st.sampled_from(["provider", "cluster", "storage", "x", "passwd"]))
    if kind == "bomb":
        depth = draw(st.integers(2, 8))
        lines = ["zz0: &zz0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in range(1, depth):
            lines.append(f"zz{level}: &zz{level} [" + ", ".join([f"*zz{level - 1}"] * 9) + "]")
        return "\n".join(lines) + f"\n{text}\n{key}: *zz{depth - 1}\n"
    if kind == "recursive":
        return text + f"\n{key}: &self [*self]\n"
    if kind == "dangling":
        return text + f"\n{key}: *missing\n"
    if kind == "merge":
        return text + f"\nbase: &base {{a: 1}}\n{key}:\n  <<: *base\n"
    return f"anchor: &v {draw(st.sampled_from(SPECIAL_SCALARS[:14]))}\n" + text + f"\n{key}: *v\n"


def _mutate_text(draw: Draw, text: str) -> str:
    """Text-level damage: special scalars, unicode, cuts, aliases, duplicate keys."""
    action = draw(st.sampled_from(["scalar", "unicode", "cut", "alias", "duplicate", "none"]))
    if action == "scalar":
        values = list(re.finditer(r": (\S[^\n]*)", text))
        if values:
            match = draw(st.sampled_from(values))
            special = draw(st.sampled_from(SPECIAL_SCALARS))
            return text[: match.start(1)] + special + text[match.end(1) :]
    if action == "unicode":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.text(min_size=1, max_size=4)) + text[at:]
    if action == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if action == "alias":
        return _alias_text(draw, text)
    if action == "duplicate":
        lines = text.splitlines()
        top = [line for line in lines if line and not line[0].isspace() and ":" in line]
        if top:
            return text + "\n" + draw(st.sampled_from(top)) + "\n"
    return text


def _one_document(draw: Draw, seeds: list[Path]) -> str:
    seed = draw(st.sampled_from(seeds))
    text = seed.read_text()
    if draw(st.booleans()):
        doc = _mutate_data(draw, yaml.safe_load(text))
        text = yaml.safe_dump(doc, allow_unicode=draw(st.booleans()), sort_keys=False)
    return _mutate_text(draw, text)


def _normalized(line: str, base: Path) -> str:
    """The message without its location and values, to count distinct kinds of error."""
    text = line.removeprefix("typhoon-tf: error: ").replace(str(base), "")
    text = re.sub(r"^/?work/[^:]*(:\d+)*: ", "", text)  # file[:line:col]
    text = re.sub(r"^(\(top level\)|\S*): ", "", text, count=1)  # the key path
    text = re.sub(r"#x[0-9a-fA-F]+", "#xH", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "Q", text)
    return re.sub(r"\d+", "N", text)


def _check(outcome: Outcome, work: Path, before: dict[str, str], output: Path) -> str | None:
    """The property; returns the error line when the command refused the input."""
    assert "Traceback" not in outcome.err, outcome.err
    assert outcome.rc in (0, 2), (outcome.rc, outcome.err)
    errors = [line for line in outcome.err_lines if not line.startswith("typhoon-tf: warning:")]
    if outcome.rc == 2:
        assert len(outcome.err_lines) == 1, outcome.err
        assert errors[0].startswith("typhoon-tf: error: "), outcome.err
        assert not output.exists(), "a refused input left output behind"
        assert snapshot(work) == before
        return errors[0]
    assert not errors, outcome.err
    return None


@pytest.mark.parametrize("target", ["cluster"])
def test_mutated_cluster_configs(target: str, tmp_path: Path) -> None:
    seen: list[int] = []

    @settings(
        max_examples=CLUSTER_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        seen.append(1)
        work = tmp_path / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        (work / "snippets").mkdir()
        (work / "snippets" / "w.bu").write_text("variant: fcos\nversion: 1.4.0\n")
        text = _one_document(data.draw, CLUSTER_SEEDS)
        if data.draw(st.booleans()):
            text += "\nsnippets:\n  worker: [snippets/w.bu]\n"
        (work / "cluster.yaml").write_text(text, errors="surrogatepass")
        before = snapshot(work)
        output = tmp_path / "out"
        shutil.rmtree(output, ignore_errors=True)
        argv = ["generate", "-c", str(work / "cluster.yaml"), "-o", str(output)]
        outcome = run_cli(argv, seconds=PER_EXAMPLE_GUARD)
        error = _check(outcome, work, before, output)
        if error is None:
            assert {p.name for p in output.iterdir()} >= GENERATED, "incomplete output"
            assert any((output / "modules").rglob("*.tf"))
            MESSAGES[target]["(generated)"] += 1
        else:
            MESSAGES[target][_normalized(error, tmp_path)] += 1

    run()
    _report(target, len(seen))


@pytest.mark.parametrize("target", ["butane"])
def test_mutated_butane_configs(target: str, tmp_path: Path) -> None:
    seen: list[int] = []

    @settings(
        max_examples=BUTANE_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        seen.append(1)
        work = tmp_path / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        text = _one_document(data.draw, BUTANE_SEEDS)
        (work / "input.bu").write_text(text, errors="surrogatepass")
        before = snapshot(work)
        output = tmp_path / "out.ign"
        output.unlink(missing_ok=True)
        strict = ["--strict"] if data.draw(st.booleans()) else []
        argv = ["butane", *strict, "-o", str(output), str(work / "input.bu")]
        error = _check(run_cli(argv, seconds=PER_EXAMPLE_GUARD), work, before, output)
        if error is None:
            config = json.loads(output.read_text())  # complete: a whole JSON document
            assert config["ignition"]["version"].startswith("3.")
            MESSAGES[target]["(translated)"] += 1
        else:
            MESSAGES[target][_normalized(error, tmp_path)] += 1
        # The same text as a Terraform-variable snippet through the external program.
        query = {"snippets": json.dumps([text]), "variant": "fcos", "ignition_version": "3.5.0"}
        outcome = run_cli(["external", "butane"], stdin=json.dumps(query).encode())
        assert "Traceback" not in outcome.err, outcome.err
        assert outcome.rc in (0, 2) and len(outcome.err_lines) == (outcome.rc == 2), outcome.err

    run()
    _report(target, len(seen))


def _report(target: str, examples: int) -> None:
    messages = MESSAGES[target]
    distinct = [m for m in messages if not m.startswith("(")]
    print(f"\n{target}: {examples} examples, {len(distinct)} distinct error messages")
    for message, count in messages.most_common():
        print(f"  {count:4d}  {message[:150]}")
    assert examples >= 100
    assert len(distinct) >= 10, "the mutations no longer reach a variety of errors"
