"""The shipped JSON Schemas and the validator for versions without an installed oracle.

Spec 3.4.0/3.5.0 only add fields to 3.3.0 (docs/migrating-configs.md), so every 3.3.0
corpus case must get the same verdict when relabelled 3.4.0 or 3.5.0; the fields each
version adds are checked separately. Spec 2.3.0 is checked from its documentation.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from typhoon_tf.errors import UserError
from typhoon_tf.ignition.schema_source import ALL_VERSIONS, build_schema, render, schema_path
from typhoon_tf.ignition.validate import check, load_schema, validate

DATA = Path(__file__).parent / "data" / "ignition"


def _cases() -> Any:
    spec = importlib.util.spec_from_file_location("ignition_cases", DATA / "cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES = _cases()


def messages(config: Any, *, warnings: bool = False) -> list[str]:
    return [f"{p.key_path}: {p.message}" for p in validate(config, warnings=warnings)]


@pytest.mark.parametrize("version", ALL_VERSIONS)
def test_shipped_schema_is_fresh_and_valid_draft4(version: str) -> None:
    assert schema_path(version).read_text() == render(version), (
        "regenerate with: python -m typhoon_tf.ignition.schema_source"
    )
    jsonschema.Draft4Validator.check_schema(build_schema(version))
    assert load_schema(version) == build_schema(version)


@pytest.mark.parametrize("version", ["3.4.0", "3.5.0"])
def test_newer_3x_versions_keep_every_33_verdict(version: str) -> None:
    for name, config, valid in CASES.spec3_cases("3.3.0"):
        relabelled = json.loads(json.dumps(config).replace('"3.3.0"', f'"{version}"'))
        assert (not validate(relabelled)) == valid, name


def ign(version: str, **sections: Any) -> dict[str, Any]:
    return {"ignition": {"version": version}, **sections}


LUKS_34 = {"name": "x", "device": "/dev/a", "discard": True, "openOptions": ["--perf"]}


@pytest.mark.parametrize(
    ("config", "valid", "unused"),
    [
        (
            ign(
                "3.4.0",
                storage={"files": [{"path": "/a", "contents": {"source": "arn:aws:s3:::b/k"}}]},
            ),
            True,
            False,
        ),  # noqa: E501
        (
            ign(
                "3.3.0",
                storage={"files": [{"path": "/a", "contents": {"source": "arn:aws:s3:::b/k"}}]},
            ),
            False,
            False,
        ),  # noqa: E501
        (ign("3.4.0", storage={"luks": [LUKS_34]}), True, False),
        (ign("3.3.0", storage={"luks": [LUKS_34]}), True, True),
        (
            ign("3.5.0", storage={"luks": [{"device": "/dev/a", "cex": {"enabled": True}}]}),
            True,
            False,
        ),  # noqa: E501
        (
            ign("3.4.0", storage={"luks": [{"device": "/dev/a", "cex": {"enabled": True}}]}),
            True,
            True,
        ),  # noqa: E501
        (
            ign(
                "3.4.0",
                storage={
                    "luks": [
                        {
                            "device": "/dev/a",
                            "clevis": {
                                "tang": [
                                    {"url": "https://t", "thumbprint": "x", "advertisement": "{}"}
                                ]
                            },
                        }
                    ]
                },
            ),
            True,
            False,
        ),  # noqa: E501
        (
            ign("3.5.0", storage={"luks": [{"device": "/dev/a", "cex": {"enabled": "yes"}}]}),
            False,
            False,
        ),  # noqa: E501
        (ign("3.5.0", storage={"files": [{"path": "/a", "mode": 0o4755}]}), True, False),
    ],
)
def test_fields_added_after_33(config: dict[str, Any], valid: bool, unused: bool) -> None:
    problems = validate(config, warnings=True)
    assert (not [p for p in problems if p.is_error]) == valid, problems
    assert any("Unused key" in p.message for p in problems) == unused, problems


def test_setuid_warns_only_before_34() -> None:
    file = {"storage": {"files": [{"path": "/a", "mode": 0o4755}]}}
    assert any("setuid" in m for m in messages(ign("3.3.0", **file), warnings=True))
    assert not messages(ign("3.4.0", **file), warnings=True)


def test_unsupported_and_unparseable_versions() -> None:
    assert messages({"ignition": {"version": "3.6.0"}}) == [
        "ignition.version: unsupported config version '3.6.0' (supported: 3.0.0, 3.1.0, "
        "3.2.0, 3.3.0, 3.4.0, 3.5.0, 2.3.0)"
    ]
    assert messages({"ignition": {"version": 3}}) == [
        "ignition.version: invalid config version (couldn't parse)"
    ]


# --- spec 2.3.0 -----------------------------------------------------------------------

VALID_23: dict[str, Any] = {
    "ignition": {
        "version": "2.3.0",
        "config": {
            "append": [
                {"source": "https://x/c.ign", "verification": {"hash": "sha512-" + "0" * 128}}
            ]
        },  # noqa: E501
        "timeouts": {"httpTotal": 5},
    },
    "storage": {
        "filesystems": [{"name": "data", "mount": {"device": "/dev/sdb", "format": "ext4"}}],
        "files": [
            {
                "filesystem": "root",
                "path": "/etc/a",
                "mode": 420,
                "contents": {"source": "data:,a"},
            },  # noqa: E501
            {
                "filesystem": "root",
                "path": "/etc/a",
                "mode": 420,
                "append": True,
                "contents": {"source": "data:,b"},
            },  # noqa: E501
            {
                "filesystem": "data",
                "path": "/x",
                "mode": 384,
                "contents": {"source": "data:,c", "compression": "gzip"},
            },  # noqa: E501
        ],
        "directories": [{"filesystem": "root", "path": "/var/lib/etcd", "mode": 448}],
        "links": [
            {"filesystem": "root", "path": "/etc/localtime", "target": "/usr/share/zoneinfo/UTC"}
        ],  # noqa: E501
    },
    "systemd": {
        "units": [
            {"name": "a.service", "enable": True, "contents": "[Service]\nA=1\n[Install]\nB=c"},
            {"name": "a.service", "mask": True},
        ]
    },  # noqa: E501
    "networkd": {"units": [{"name": "00-eth0.network", "contents": "[Match]\nName=eth0"}]},
    "passwd": {"users": [{"name": "core", "sshAuthorizedKeys": ["k"]}], "groups": [{"name": "g"}]},
}


def with_change(path: str, value: Any) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(json.dumps(VALID_23))
    *parents, last = path.split(".")
    node: Any = config
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return config


def test_valid_23_config() -> None:
    assert messages(VALID_23) == []
    # the deprecated `enable` is a warning, not an error
    assert any("deprecated" in m for m in messages(VALID_23, warnings=True))


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "storage.files.0.filesystem",
            "nope",
            "storage.files.0.filesystem: filesystem 'nope' is not defined",
        ),  # noqa: E501
        ("storage.files.0.path", "etc/a", "storage.files.0.path: path not absolute"),
        ("storage.files.0.mode", 4096, "storage.files.0.mode: illegal file mode"),
        (
            "storage.files.1.overwrite",
            True,
            "storage.files.1.overwrite: cannot append to a file and overwrite it",
        ),  # noqa: E501
        (
            "storage.files.0.contents",
            {"source": "data:,a", "verification": {"hash": "sha256-" + "0" * 64}},
            "storage.files.0.contents.verification.hash: unrecognized hash function",
        ),  # noqa: E501
        (
            "storage.files.0.contents",
            {"source": "gs://b/o"},
            "storage.files.0.contents.source: invalid url scheme",
        ),  # noqa: E501
        (
            "storage.files.0.append",
            [{"source": "data:,x"}],
            "storage.files.0.append: must be boolean, not array",
        ),  # noqa: E501
        (
            "storage.filesystems.0",
            {"name": "data"},
            "storage.filesystems.0: filesystem is missing mount or path",
        ),  # noqa: E501
        (
            "storage.filesystems.0",
            {"name": "data", "path": "/sysroot", "mount": {"device": "/dev/a", "format": "xfs"}},
            "storage.filesystems.0: filesystem has both mount and path defined",
        ),  # noqa: E501
        (
            "storage.filesystems.0",
            {"name": "data", "mount": {"device": "/dev/a", "format": "zfs"}},
            "storage.filesystems.0.mount.format: invalid filesystem format",
        ),  # noqa: E501
        (
            "storage.links.0",
            {"filesystem": "root", "path": "/l"},
            "storage.links.0: 'target' is required",
        ),  # noqa: E501
        (
            "networkd.units.0.name",
            "eth0.service",
            "networkd.units.0.name: invalid networkd unit extension",
        ),  # noqa: E501
        ("systemd.units.0.name", "a.bogus", "systemd.units.0.name: invalid systemd unit extension"),  # noqa: E501
        ("ignition.config.append", [{"source": "data:,x", "compression": "gzip"}], None),
    ],
)
def test_invalid_23(path: str, value: Any, expected: str | None) -> None:
    found = messages(with_change(path, value))
    if expected is None:  # compression is not a 2.3 config field: an unused-key warning
        assert found == []
        assert any(
            "Unused key compression" in m for m in messages(with_change(path, value), warnings=True)
        )  # noqa: E501
    else:
        assert expected in found


def test_23_files_need_a_filesystem() -> None:
    config = with_change("storage.files.0", {"path": "/etc/a"})
    assert "storage.files.0: 'filesystem' is required" in messages(config)


def test_check_raises_user_error_with_location() -> None:
    with pytest.raises(UserError) as info:
        check(with_change("storage.files.0.path", "rel"), source="node.ign")
    assert (
        str(info.value)
        == "node.ign: storage.files.0.path: invalid Ignition config: path not absolute"
    )  # noqa: E501
    check(VALID_23)  # valid: no exception
