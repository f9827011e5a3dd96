"""Spec 3.x -> 2.3.0 down-conversion: explicit defaults, appends, filesystems, refusals."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from typhoon_tf.errors import UserError
from typhoon_tf.ignition.downconvert import downconvert
from typhoon_tf.ignition.validate import validate

DATA = Path(__file__).parent / "data" / "ignition"
UNIT = "[Unit]\nDescription=Kubelet\n[Service]\nExecStart=/usr/bin/kubelet\n[Install]\nWantedBy=multi-user.target\n"  # noqa: E501

NODE: dict[str, Any] = {
    "ignition": {"version": "3.3.0", "timeouts": {"httpTotal": 30}},
    "storage": {
        "directories": [{"path": "/var/lib/etcd", "mode": 448}, {"path": "/etc/kubernetes"}],
        "files": [
            {"path": "/etc/kubernetes/kubeconfig", "mode": 384,
             "contents": {"source": "data:;base64,YXBpVmVyc2lvbjogdjEK", "compression": ""}},
            {"path": "/etc/hostname", "overwrite": True, "contents": {"source": "data:,node1"}},
            {"path": "/etc/sysctl.d/max-user-watches.conf",
             "contents": {"source": "data:;base64,H4sIAAAAAAAC/w==", "compression": "gzip"}},
            {"path": "/etc/profile.d/k.sh", "append": [{"source": "data:,export%20A%3D1%0A"}]},
        ],
        "links": [{"path": "/etc/localtime", "target": "../usr/share/zoneinfo/UTC"}],
    },
    "systemd": {
        "units": [
            {"name": "kubelet.service", "enabled": True, "contents": UNIT},
            {"name": "containerd.service", "dropins": [
                {"name": "10-wants.conf", "contents": "[Unit]\nWants=network-online.target\n"}]},
            {"name": "locksmithd.service", "mask": True},
        ]
    },
    "passwd": {"users": [{"name": "core", "sshAuthorizedKeys": ["ssh-ed25519 AAAA k1", "ssh-rsa BBBB k2"]}]},  # noqa: E501
}  # fmt: skip


def test_realistic_node_config_converts_to_valid_23() -> None:
    assert not validate(NODE)
    out = downconvert(NODE)
    assert out["ignition"] == {"version": "2.3.0", "timeouts": {"httpTotal": 30}}
    assert validate(out, warnings=True) == []
    files = {(f["path"], f.get("append", False)): f for f in out["storage"]["files"]}
    # explicit modes and overwrite, filesystem root
    assert files[("/etc/hostname", False)] == {
        "filesystem": "root", "path": "/etc/hostname", "mode": 0o644, "overwrite": True,
        "contents": {"source": "data:,node1"}}  # fmt: skip
    assert files[("/etc/kubernetes/kubeconfig", False)]["mode"] == 0o600
    assert files[("/etc/kubernetes/kubeconfig", False)]["overwrite"] is False
    assert (
        files[("/etc/sysctl.d/max-user-watches.conf", False)]["contents"]["compression"] == "gzip"
    )
    # an append-only spec-3 file becomes a single spec-2 append entry
    assert files[("/etc/profile.d/k.sh", True)] == {
        "filesystem": "root", "path": "/etc/profile.d/k.sh", "mode": 0o644, "append": True,
        "contents": {"source": "data:,export%20A%3D1%0A"}}  # fmt: skip
    assert ("/etc/profile.d/k.sh", False) not in files
    assert out["storage"]["directories"] == [
        {"filesystem": "root", "path": "/var/lib/etcd", "mode": 0o700, "overwrite": False},
        {"filesystem": "root", "path": "/etc/kubernetes", "mode": 0o755, "overwrite": False},
    ]
    assert out["storage"]["links"] == [{"filesystem": "root", "path": "/etc/localtime",
                                        "target": "../usr/share/zoneinfo/UTC", "overwrite": False}]  # fmt: skip # noqa: E501
    assert out["systemd"] == NODE["systemd"]
    assert out["passwd"] == NODE["passwd"]


def test_output_is_deterministic() -> None:
    assert json.dumps(downconvert(NODE)) == json.dumps(downconvert(json.loads(json.dumps(NODE))))


def cfg(**sections: Any) -> dict[str, Any]:
    return {"ignition": {"version": "3.3.0"}, **sections}


def test_contents_then_append_fragments_in_order() -> None:
    out = downconvert(cfg(storage={"files": [{
        "path": "/a", "mode": 416, "overwrite": True, "contents": {"source": "data:,base"},
        "append": [{"source": "data:,1"}, {"source": "https://x/2",
                                            "verification": {"hash": "sha512-" + "f" * 128}}]}]}))  # fmt: skip # noqa: E501
    assert out["storage"]["files"] == [
        {"filesystem": "root", "path": "/a", "mode": 416, "overwrite": True, "contents": {"source": "data:,base"}},  # noqa: E501
        {"filesystem": "root", "path": "/a", "mode": 416, "append": True, "contents": {"source": "data:,1"}},  # noqa: E501
        {"filesystem": "root", "path": "/a", "mode": 416, "append": True,
         "contents": {"source": "https://x/2", "verification": {"hash": "sha512-" + "f" * 128}}},
    ]  # fmt: skip
    assert not validate(out)


def test_file_without_contents_is_ensured_not_truncated() -> None:
    out = downconvert(cfg(storage={"files": [{"path": "/etc/marker"}]}))
    assert out["storage"]["files"] == [
        {"filesystem": "root", "path": "/etc/marker", "mode": 420, "overwrite": False}]  # fmt: skip


def test_filesystems_become_named_mounts_and_nodes_move_onto_them() -> None:
    out = downconvert(cfg(storage={
        "filesystems": [{"device": "/dev/sdb", "format": "xfs", "path": "/var/lib/data",
                         "label": "DATA", "wipeFilesystem": True},
                        {"device": "/dev/sdc", "format": "ext4"}],
        "files": [{"path": "/var/lib/data/x/y", "mode": 384}, {"path": "/var/lib/database"}],
        "directories": [{"path": "/var/lib/data"}],
    }))  # fmt: skip
    storage = out["storage"]
    assert storage["filesystems"] == [
        {"name": "fs0", "mount": {"device": "/dev/sdb", "format": "xfs", "wipeFilesystem": True,
                                  "label": "DATA"}},
        {"name": "fs1", "mount": {"device": "/dev/sdc", "format": "ext4"}},
    ]  # fmt: skip
    assert [(f["filesystem"], f["path"]) for f in storage["files"]] == [
        ("fs0", "/x/y"), ("root", "/var/lib/database")]  # fmt: skip
    assert [(d["filesystem"], d["path"]) for d in storage["directories"]] == [("fs0", "/")]
    assert not validate(out)


def test_ignition_section() -> None:
    config = cfg()
    config["ignition"].update(
        config={"merge": [{"source": "https://x/a.ign"}], "replace": {}},
        security={"tls": {"certificateAuthorities": [{"source": "data:,pem"}]}},
        timeouts={"httpResponseHeaders": 3},
    )
    assert downconvert(config)["ignition"] == {
        "version": "2.3.0",
        "config": {"append": [{"source": "https://x/a.ign"}]},
        "timeouts": {"httpResponseHeaders": 3},
        "security": {"tls": {"certificateAuthorities": [{"source": "data:,pem"}]}},
    }


def test_unknown_keys_are_dropped_like_ignition_ignores_them() -> None:
    out = downconvert(cfg(storage={"files": [{"path": "/a", "bogus": 1}]}, extra={}))
    assert out == {"ignition": {"version": "2.3.0"}, "storage": {"files": [
        {"filesystem": "root", "path": "/a", "mode": 420, "overwrite": False}]}}  # fmt: skip


HASH256 = "sha256-" + "0" * 64


@pytest.mark.parametrize(
    ("config", "key_path"),
    [
        (cfg(kernelArguments={"shouldExist": ["a"]}), "kernelArguments.shouldExist"),
        (
            {"ignition": {"version": "3.1.0", "proxy": {"httpProxy": "http://p"}}},
            "ignition.proxy.httpProxy",
        ),  # noqa: E501
        (cfg(storage={"luks": [{"name": "l", "device": "/dev/a"}]}), "storage.luks"),
        (
            cfg(
                storage={
                    "disks": [{"device": "/dev/a", "partitions": [{"number": 4, "resize": True}]}]
                }
            ),
            "storage.disks.0.partitions.0.resize",
        ),  # noqa: E501
        (
            cfg(passwd={"users": [{"name": "x", "shouldExist": False}]}),
            "passwd.users.0.shouldExist",
        ),  # noqa: E501
        (
            cfg(passwd={"groups": [{"name": "x", "shouldExist": False}]}),
            "passwd.groups.0.shouldExist",
        ),  # noqa: E501
        (
            cfg(
                storage={
                    "files": [
                        {
                            "path": "/a",
                            "contents": {
                                "source": "https://x",
                                "httpHeaders": [{"name": "A", "value": "b"}],
                            },
                        }
                    ]
                }
            ),
            "storage.files.0.contents.httpHeaders",
        ),  # noqa: E501
        (
            cfg(
                storage={
                    "files": [
                        {
                            "path": "/a",
                            "contents": {"source": "https://x", "verification": {"hash": HASH256}},
                        }
                    ]
                }
            ),
            "storage.files.0.contents.verification.hash",
        ),  # noqa: E501
        (
            cfg(storage={"files": [{"path": "/a", "append": [{"source": "gs://b/o"}]}]}),
            "storage.files.0.append.0.source",
        ),  # noqa: E501
        (
            {
                "ignition": {
                    "version": "3.1.0",
                    "config": {"merge": [{"source": "https://x", "compression": "gzip"}]},
                }
            },
            "ignition.config.merge.0.compression",
        ),  # noqa: E501
        (
            cfg(storage={"filesystems": [{"device": "/dev/a", "format": "none"}]}),
            "storage.filesystems.0.format",
        ),  # noqa: E501
        (cfg(storage={"filesystems": [{"device": "/dev/a"}]}), "storage.filesystems.0.format"),
        (
            cfg(
                storage={
                    "filesystems": [{"device": "/dev/a", "format": "xfs", "mountOptions": ["x"]}]
                }
            ),
            "storage.filesystems.0.mountOptions",
        ),  # noqa: E501
    ],
)
def test_refuses_what_23_cannot_express(config: dict[str, Any], key_path: str) -> None:
    assert not validate(config)
    with pytest.raises(UserError) as info:
        downconvert(config, source="in.ign")
    assert info.value.path == key_path
    assert info.value.file == "in.ign"
    assert "cannot be expressed in Ignition spec 2.3.0" in str(info.value)


def test_refuses_invalid_input_spec2_input_and_other_targets() -> None:
    with pytest.raises(UserError, match="path not absolute"):
        downconvert(cfg(storage={"files": [{"path": "rel"}]}))
    with pytest.raises(UserError, match="only spec 3.x"):
        downconvert({"ignition": {"version": "2.3.0"}})
    with pytest.raises(UserError, match="supported: 2.3.0"):
        downconvert(cfg(), "2.2.0")


def _corpus() -> list[tuple[str, dict[str, Any], bool]]:
    spec = importlib.util.spec_from_file_location("ignition_cases", DATA / "cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases: list[tuple[str, dict[str, Any], bool]] = module.oracle_cases()
    for version in ("3.4.0", "3.5.0"):
        cases += [(f"{version}/{n}", c, ok) for n, c, ok in module.spec3_cases(version)]
    return cases


def test_every_valid_corpus_config_converts_to_valid_23_or_is_refused() -> None:
    converted = refused = 0
    for name, config, valid in _corpus():
        if not valid:
            continue
        try:
            out = downconvert(config)
        except UserError:
            refused += 1
            continue
        converted += 1
        assert validate(out) == [], name
    assert converted > 200 and refused > 0


def test_special_mode_bits_stripped_before_34_refused_from_34() -> None:
    old = cfg(storage={"files": [{"path": "/a", "mode": 0o4755}],
                       "directories": [{"path": "/d", "mode": 0o1777}]})  # fmt: skip
    out = downconvert(old)["storage"]
    assert out["files"][0]["mode"] == 0o755 and out["directories"][0]["mode"] == 0o777
    new = json.loads(json.dumps(old).replace("3.3.0", "3.4.0"))
    with pytest.raises(UserError) as info:
        downconvert(new)
    assert info.value.path == "storage.files.0.mode"
