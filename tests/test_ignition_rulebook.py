"""One Ignition rule book: the same verdicts from `ignition validate` and the Butane
pipeline, the rule classes checked against the real `ignition-validate`, and the two
bugs the duplicated rules had (issue 13) as regression tests."""

from __future__ import annotations

import copy
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from typhoon_tf.butane import translate, translate_with_warnings
from typhoon_tf.butane.capabilities import SPECS
from typhoon_tf.butane.ignvalidate import check_ignition
from typhoon_tf.butane.report import Report
from typhoon_tf.butane.translate import Origins
from typhoon_tf.errors import UserError
from typhoon_tf.ignition.specrules import BUTANE_RELEASE, ORACLE_RELEASE
from typhoon_tf.ignition.validate import known_keys_only, load_schema, validate

DATA = Path(__file__).parent / "data" / "ignition"
ORACLE = shutil.which("ignition-validate")
ORACLE_VERSIONS = ("3.0.0", "3.1.0", "3.2.0", "3.3.0")
needs_oracle = pytest.mark.skipif(
    ORACLE is None, reason="ignition-validate not installed (apt-get install -y ignition)"
)


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DATA / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RULE_CASES: list[tuple[str, dict[str, Any]]] = _load("rule_classes").rule_class_cases()


def versioned(config: dict[str, Any], version: str) -> dict[str, Any]:
    return {"ignition": {"version": version}, **copy.deepcopy(config)}


def oracle_verdict(config: dict[str, Any], tmp_path: Path) -> tuple[bool, bool, str]:
    """(errors, warnings only, output) from the real ignition-validate."""
    assert ORACLE is not None
    path = tmp_path / "config.ign"
    path.write_text(json.dumps(config))
    proc = subprocess.run([ORACLE, str(path)], capture_output=True, text=True, timeout=30)
    output = (proc.stdout + proc.stderr).strip()
    return proc.returncode != 0, proc.returncode == 0 and bool(output), output


def our_verdict(config: dict[str, Any]) -> tuple[bool, bool, list[str]]:
    problems = validate(config, warnings=True, release=ORACLE_RELEASE)
    errors = any(p.is_error for p in problems)
    return errors, not errors and bool(problems), [str(p) for p in problems]


def test_rule_class_corpus_is_broad() -> None:
    names = [name for name, _ in RULE_CASES]
    assert len(names) == len(set(names)) and len(names) >= 80
    for prefix in ("fs-label-", "raid-", "part-", "luks-", "clevis-", "unit-", "hard-link-"):
        assert any(n.startswith(prefix) for n in names), prefix


@needs_oracle
def test_rule_classes_agree_with_ignition_validate(tmp_path: Path) -> None:
    """Every rule-class case, in every spec version the oracle knows: same errors, same
    warnings (rules of the oracle's Ignition release)."""
    disagreements = []
    for version in ORACLE_VERSIONS:
        for name, body in RULE_CASES:
            config = versioned(body, version)
            theirs = oracle_verdict(config, tmp_path)
            ours = our_verdict(config)
            if theirs[:2] != ours[:2]:
                disagreements.append(f"{version} {name}: oracle={theirs} ours={ours}")
    print(f"rule classes: {len(RULE_CASES) * len(ORACLE_VERSIONS)} configs, "
          f"{len(disagreements)} disagreements")  # fmt: skip
    assert not disagreements, "\n".join(disagreements)


@pytest.mark.parametrize("version", ["3.0.0", "3.2.0", "3.3.0", "3.4.0", "3.5.0"])
def test_butane_pipeline_and_validator_share_verdicts(version: str) -> None:
    """The Butane pipeline runs the same rule book: same verdict on every case."""
    spec = next(s for s in SPECS.values() if s.ignition_version == version)
    for name, body in RULE_CASES:
        config = versioned(body, version)
        # Butane never emits keys its spec version lacks; Ignition ignores them.
        emitted = known_keys_only(config, load_schema(version))
        report = Report("<test>")
        try:
            check_ignition(emitted, spec, Origins(), report, BUTANE_RELEASE)
            butane_rejects = False
        except UserError:
            butane_rejects = True
        errors = [p for p in validate(config, release=BUTANE_RELEASE) if p.is_error]
        assert butane_rejects == bool(errors), f"{version} {name}: {errors}"


# --- regressions (issue 13) -------------------------------------------------------------


def test_validator_rejects_a_20_character_swap_label() -> None:
    config = {
        "ignition": {"version": "3.3.0"},
        "storage": {"filesystems": [{"device": "/dev/sdb", "format": "swap", "label": "s" * 20}]},
    }
    messages = [p.message for p in validate(config)]
    assert messages == ["filesystem labels cannot be longer than 15 characters when using swap"]


@pytest.mark.parametrize("level", ["mirror", "1", "stripe", "0", "10", "4", "5", "6"])
def test_butane_accepts_raid_level_aliases(level: str) -> None:
    text = (
        "variant: fcos\nversion: 1.4.0\nstorage:\n  raid:\n    - name: md\n"
        f"      level: '{level}'\n      devices: [/dev/sda, /dev/sdb]\n"
    )
    assert translate(text, strict=True)["storage"]["raid"][0]["level"] == level


SHOULD_NOT_EXIST_CONFLICTS = [
    "label: x",
    "label: ''",
    "size_mib: 0",
    "start_mib: 0",
    "type_guid: 0FC63DAF-8483-4772-8E79-3D69D8477DE4",
    "guid: 5F6E2C10-41B7-4C3E-9D2A-1B7C0E9A4D11",
]


@pytest.mark.parametrize("field", SHOULD_NOT_EXIST_CONFLICTS)
def test_butane_rejects_should_exist_false_with_other_fields(field: str) -> None:
    text = (
        "variant: fcos\nversion: 1.4.0\nstorage:\n  disks:\n    - device: /dev/sdb\n"
        "      partitions:\n        - number: 1\n          should_exist: false\n"
        f"          {field}\n"
    )
    with pytest.raises(UserError, match="shouldExist specified false with other options"):
        translate(text)


def test_butane_warns_about_owner_on_hard_link() -> None:
    text = (
        "variant: fcos\nversion: 1.4.0\nstorage:\n  links:\n    - path: /etc/b\n"
        "      target: /etc/a\n      hard: true\n      user: {name: core}\n      group: {id: 0}\n"
    )
    warnings = translate_with_warnings(text).warnings
    assert [w.message for w in warnings] == ["user/group ignored for hard link"] * 2
    assert [w.path for w in warnings] == [
        ("storage", "links", 0, "user", "name"),
        ("storage", "links", 0, "group", "id"),
    ]
    with pytest.raises(UserError, match="user/group ignored for hard link"):
        translate(text, strict=True)
