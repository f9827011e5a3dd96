"""Property-based: random and mutated Butane YAML never raises anything but UserError,
and whatever translates is deterministic and serializes to JSON that parses back."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typhoon_tf.butane import serialize, translate_with_warnings
from typhoon_tf.butane.pipeline import check_unchecked, translate_unchecked
from typhoon_tf.errors import UserError
from typhoon_tf.ignition.specrules import ORACLE_RELEASE

CORPUS = Path(__file__).parent / "data" / "conformance" / "butane"
INPUTS = sorted((p / "input.bu").read_text() for p in CORPUS.iterdir() if p.is_dir())


def _loadable(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


DOCS = [d for d in (_loadable(t) for t in INPUTS) if isinstance(d, dict)]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["0644", "644", "0o755", "0x1ff", "yes", "on", "~", "/etc/x", "data:,x"]),
    st.sampled_from(["1.4.0", "1.6.0", "fcos", "flatcar", "x.service", "a.conf", "/dev/sda"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            out += _paths(value, prefix + (index,))
    return out


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    doc = json.loads(json.dumps(draw(st.sampled_from(DOCS)), default=str))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["delete", "replace", "wrap", "rename"]))
        last = path[-1]
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(values)
        elif action == "wrap":
            parent[last] = [parent[last]] if draw(st.booleans()) else {"x": parent[last]}
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = parent.pop(last)
    return yaml.safe_dump(doc, allow_unicode=True)


def _only_user_errors(text: str, strict: bool) -> None:
    try:
        result = translate_with_warnings(text, strict=strict, files_dir=str(CORPUS))
    except UserError as err:
        assert "\n" not in str(err)
        return
    first = serialize(result.config)
    json.loads(first)
    again = translate_with_warnings(text, strict=strict, files_dir=str(CORPUS))
    assert serialize(again.config) == first


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents(), st.booleans())
def test_mutated_corpus_inputs_raise_only_user_errors(text: str, strict: bool) -> None:
    _only_user_errors(text, strict)


@settings(max_examples=200, deadline=None)
@given(values)
def test_random_yaml_values_raise_only_user_errors(value: Any) -> None:
    _only_user_errors(yaml.safe_dump(value), strict=False)
    header = {"variant": "fcos", "version": "1.6.0"}
    if isinstance(value, dict):
        _only_user_errors(yaml.safe_dump({**value, **header}), strict=False)
    _only_user_errors(yaml.safe_dump({**header, "storage": value}), strict=False)
    _only_user_errors(
        yaml.safe_dump({**header, "storage": {"files": [{"path": "/x", "contents": value}]}}),
        strict=False,
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_raises_only_user_errors(text: str) -> None:
    _only_user_errors(text, strict=False)
    _only_user_errors("variant: fcos\nversion: 1.5.0\n" + text, strict=True)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(INPUTS), st.integers(min_value=0, max_value=10_000), st.text(max_size=5))
def test_spliced_text_raises_only_user_errors(base: str, position: int, insert: str) -> None:
    position %= len(base) + 1
    _only_user_errors(base[:position] + insert + base[position:], strict=True)


IGNITION_VALIDATE = shutil.which("ignition-validate")


def _ignition_validate(config: dict[str, Any]) -> tuple[bool, bool]:
    """(has errors, has warnings) according to Debian's ignition-validate."""
    assert IGNITION_VALIDATE is not None
    with tempfile.NamedTemporaryFile("w", suffix=".ign") as handle:
        handle.write(serialize(config))
        handle.flush()
        proc = subprocess.run(
            [IGNITION_VALIDATE, handle.name], capture_output=True, text=True, timeout=60
        )
    return proc.returncode != 0, proc.returncode == 0 and bool((proc.stdout + proc.stderr).strip())


@pytest.mark.skipif(
    IGNITION_VALIDATE is None, reason="ignition-validate not installed (apt ignition)"
)
# Derandomized: the real validator's rule set is modelled, so CI runs a fixed sample.
@settings(
    max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(mutated_documents())
def test_ignition_rules_agree_with_ignition_validate(text: str) -> None:
    """Our Ignition checks reject exactly what the real validator rejects (spec <= 3.3.0)."""
    try:
        unchecked = translate_unchecked(text, str(CORPUS), "<test>")
    except UserError:
        return  # rejected before Ignition's rules apply
    if unchecked.config["ignition"]["version"] not in ("3.0.0", "3.1.0", "3.2.0", "3.3.0"):
        return
    warnings_before = len(unchecked.report.warnings)
    try:
        check_unchecked(unchecked, ORACLE_RELEASE)
        we_reject = False
    except UserError:
        we_reject = True
    they_reject, they_warn = _ignition_validate(unchecked.config)
    assert we_reject == they_reject
    if not we_reject:
        assert (len(unchecked.report.warnings) > warnings_before) == they_warn
