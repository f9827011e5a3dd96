"""Ignition's merge rules (config/merge/merge.go, research §1.5), one rule per test.

Where the real Ignition library is reachable the same inputs were checked with it
(poseidon/ct's merge, see research §4.3); here the result is also validated with
ignition-validate to show a merge of valid configs stays valid.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from typhoon_tf.errors import UserError
from typhoon_tf.ignition.merge import merge
from typhoon_tf.ignition.validate import validate


def cfg(version: str = "3.3.0", **sections: Any) -> dict[str, Any]:
    return {"ignition": {"version": version}, **sections}


def storage(**lists: Any) -> dict[str, Any]:
    return cfg(storage=lists)


def test_scalars_child_wins_and_omitted_pointer_fields_survive() -> None:
    parent = storage(files=[{"path": "/a", "mode": 420, "overwrite": True,
                             "contents": {"source": "data:,p"}}])  # fmt: skip
    child = storage(files=[{"path": "/a", "contents": {"source": "data:,c"}}])
    assert merge(parent, child)["storage"]["files"] == [
        {"path": "/a", "mode": 420, "overwrite": True, "contents": {"source": "data:,c"}}
    ]


def test_null_in_child_keeps_parent_value() -> None:
    parent = storage(files=[{"path": "/a", "mode": 420}])
    child = storage(files=[{"path": "/a", "mode": None}])
    assert merge(parent, child)["storage"]["files"][0]["mode"] == 420


def test_nodes_share_one_key_space_across_files_directories_links() -> None:
    parent = storage(
        links=[{"path": "/etc/c", "target": "/x"}, {"path": "/etc/keep", "target": "/y"}],
        directories=[{"path": "/d"}],
    )
    child = storage(files=[{"path": "/etc/c", "mode": 420}], links=[{"path": "/d", "target": "/z"}])
    merged = merge(parent, child)["storage"]
    assert merged["links"] == [
        {"path": "/etc/keep", "target": "/y"},
        {"path": "/d", "target": "/z"},
    ]
    assert merged["files"] == [{"path": "/etc/c", "mode": 420}]
    assert "directories" not in merged  # the parent's only directory was replaced by a link
    assert not validate(cfg(storage=merged))


def test_units_by_name_and_dropins_by_name() -> None:
    parent = cfg(systemd={"units": [
        {"name": "a.service", "enabled": True, "contents": "[Service]\nA=1\n",
         "dropins": [{"name": "10-a.conf", "contents": "[Service]\nX=1\n"}]},
        {"name": "b.service", "mask": True},
    ]})  # fmt: skip
    child = cfg(systemd={"units": [
        {"name": "a.service", "dropins": [{"name": "10-a.conf", "contents": "[Service]\nX=2\n"},
                                          {"name": "20-b.conf", "contents": "[Service]\nY=1\n"}]},
        {"name": "c.service", "contents": "[Unit]\n"},
    ]})  # fmt: skip
    units = merge(parent, child)["systemd"]["units"]
    assert [u["name"] for u in units] == ["a.service", "b.service", "c.service"]
    assert units[0]["enabled"] is True and units[0]["contents"] == "[Service]\nA=1\n"
    assert units[0]["dropins"] == [
        {"name": "10-a.conf", "contents": "[Service]\nX=2\n"},
        {"name": "20-b.conf", "contents": "[Service]\nY=1\n"},
    ]


def test_users_groups_by_name_with_string_lists_as_unions() -> None:
    parent = cfg(passwd={"users": [{"name": "core", "sshAuthorizedKeys": ["k1", "k2"],
                                    "groups": ["wheel"], "shell": "/bin/bash"}],
                         "groups": [{"name": "g", "gid": 1}]})  # fmt: skip
    child = cfg(passwd={"users": [{"name": "core", "sshAuthorizedKeys": ["k2", "k3"],
                                   "groups": ["docker"]}, {"name": "ops"}],
                        "groups": [{"name": "g", "system": True}]})  # fmt: skip
    passwd = merge(parent, child)["passwd"]
    assert passwd["users"] == [
        {"name": "core", "sshAuthorizedKeys": ["k1", "k2", "k3"], "groups": ["wheel", "docker"],
         "shell": "/bin/bash"},
        {"name": "ops"},
    ]  # fmt: skip
    assert passwd["groups"] == [{"name": "g", "gid": 1, "system": True}]


def test_disks_by_device_partitions_by_number_else_label() -> None:
    parent = storage(disks=[{"device": "/dev/sda", "wipeTable": False, "partitions": [
        {"number": 1, "sizeMiB": 10}, {"label": "data", "sizeMiB": 5}]}])  # fmt: skip
    child = storage(disks=[{"device": "/dev/sda", "wipeTable": True, "partitions": [
        {"number": 1, "label": "boot"}, {"label": "data", "startMiB": 100},
        {"number": 3}]}, {"device": "/dev/sdb"}])  # fmt: skip
    disks = merge(parent, child)["storage"]["disks"]
    assert disks == [
        {"device": "/dev/sda", "wipeTable": True, "partitions": [
            {"number": 1, "sizeMiB": 10, "label": "boot"},
            {"label": "data", "sizeMiB": 5, "startMiB": 100},
            {"number": 3}]},
        {"device": "/dev/sdb"},
    ]  # fmt: skip


def test_filesystems_by_device_raid_and_luks_by_name() -> None:
    parent = storage(
        filesystems=[{"device": "/dev/a", "format": "ext4", "options": ["-m1"],
                      "mountOptions": ["noatime"]}],
        raid=[{"name": "md0", "level": "raid1", "devices": ["/dev/x"], "options": ["--a"]}],
        luks=[{"name": "l", "device": "/dev/c", "options": ["--x"], "label": "old"}],
    )  # fmt: skip
    child = storage(
        filesystems=[{"device": "/dev/a", "format": "xfs", "options": ["-m1"],
                      "mountOptions": ["noatime"]}],
        raid=[{"name": "md0", "level": "raid1", "devices": ["/dev/x", "/dev/y"], "options": ["--a"]}],  # noqa: E501
        luks=[{"name": "l", "device": "/dev/c", "options": ["--x"]}],
    )  # fmt: skip
    merged = merge(parent, child)["storage"]
    # options lists ignore duplicates: plain concatenation
    assert merged["filesystems"] == [{"device": "/dev/a", "format": "xfs",
                                      "options": ["-m1", "-m1"],
                                      "mountOptions": ["noatime", "noatime"]}]  # fmt: skip
    # raid devices are keyed by value: a union
    assert merged["raid"][0]["devices"] == ["/dev/x", "/dev/y"]
    assert merged["raid"][0]["options"] == ["--a", "--a"]
    assert merged["luks"] == [{"name": "l", "device": "/dev/c", "options": ["--x", "--x"],
                               "label": "old"}]  # fmt: skip


def test_file_append_fragments_are_concatenated() -> None:
    parent = storage(files=[{"path": "/a", "append": [{"source": "data:,1"}]}])
    child = storage(
        files=[{"path": "/a", "append": [{"source": "data:,1"}, {"source": "data:,2"}]}]
    )
    assert merge(parent, child)["storage"]["files"][0]["append"] == [
        {"source": "data:,1"}, {"source": "data:,1"}, {"source": "data:,2"}]  # fmt: skip


def test_kernel_arguments_share_one_key_space() -> None:
    parent = cfg(kernelArguments={"shouldExist": ["foo=1", "bar"], "shouldNotExist": ["baz"]})
    child = cfg(kernelArguments={"shouldNotExist": ["foo=1"], "shouldExist": ["baz", "bar"]})
    assert merge(parent, child)["kernelArguments"] == {
        "shouldExist": ["bar", "baz"], "shouldNotExist": ["foo=1"]}  # fmt: skip


def test_config_merge_and_cas_keyed_by_source_replace_merged_as_object() -> None:
    parent = cfg(version="3.1.0")
    parent["ignition"].update(
        config={"merge": [{"source": "https://a", "verification": {"hash": "sha512-" + "0" * 128}}],
                "replace": {"source": "https://r"}},
        security={"tls": {"certificateAuthorities": [{"source": "data:,ca1"}]}},
        timeouts={"httpTotal": 5},
        proxy={"httpProxy": "http://p", "noProxy": ["a"]},
    )  # fmt: skip
    child = cfg(version="3.1.0")
    child["ignition"].update(
        config={"merge": [{"source": "https://a", "compression": "gzip"}, {"source": "https://b"}]},
        security={"tls": {"certificateAuthorities": [{"source": "data:,ca2"}]}},
        timeouts={"httpResponseHeaders": 9},
        proxy={"noProxy": ["a", "b"]},
    )
    ign = merge(parent, child)["ignition"]
    assert ign["config"] == {
        "merge": [{"source": "https://a", "verification": {"hash": "sha512-" + "0" * 128},
                   "compression": "gzip"}, {"source": "https://b"}],
        "replace": {"source": "https://r"},
    }  # fmt: skip
    assert ign["security"]["tls"]["certificateAuthorities"] == [
        {"source": "data:,ca1"}, {"source": "data:,ca2"}]  # fmt: skip
    assert ign["timeouts"] == {"httpTotal": 5, "httpResponseHeaders": 9}
    assert ign["proxy"] == {"httpProxy": "http://p", "noProxy": ["a", "b"]}


def test_http_header_without_value_deletes_parent_header() -> None:
    def f(headers: list[dict[str, Any]]) -> dict[str, Any]:
        return storage(files=[{"path": "/a", "contents": {"source": "https://x",
                                                          "httpHeaders": headers}}])  # fmt: skip

    parent = f([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])
    child = f([{"name": "A"}, {"name": "B", "value": "3"}, {"name": "C", "value": "4"}])
    headers = merge(parent, child)["storage"]["files"][0]["contents"]["httpHeaders"]
    assert headers == [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}]


def test_tang_servers_by_url() -> None:
    def luks(tang: list[dict[str, Any]]) -> dict[str, Any]:
        return storage(luks=[{"name": "l", "device": "/dev/a", "clevis": {"tang": tang}}])

    merged = merge(luks([{"url": "http://t", "thumbprint": "a"}]),
                   luks([{"url": "http://t", "thumbprint": "b"}, {"url": "http://u", "thumbprint": "c"}]))  # fmt: skip # noqa: E501
    assert merged["storage"]["luks"][0]["clevis"]["tang"] == [
        {"url": "http://t", "thumbprint": "b"}, {"url": "http://u", "thumbprint": "c"}]  # fmt: skip


def test_result_takes_newer_version_and_inputs_are_untouched() -> None:
    parent = storage(files=[{"path": "/a"}])
    child = cfg(version="3.1.0", storage={"files": [{"path": "/a", "mode": 384}]})
    before = json.dumps([parent, child])
    merged = merge(parent, child)
    assert merged["ignition"]["version"] == "3.3.0"
    merged["storage"]["files"][0]["mode"] = 1
    assert json.dumps([parent, child]) == before


def test_spec2_inputs_are_refused() -> None:
    with pytest.raises(UserError, match="spec 3.x"):
        merge({"ignition": {"version": "2.3.0"}}, cfg())


@pytest.mark.skipif(shutil.which("ignition-validate") is None, reason="ignition-validate missing")
def test_merged_node_config_passes_ignition_validate(tmp_path: Path) -> None:
    parent = cfg(
        storage={"files": [{"path": "/etc/hostname", "mode": 420, "contents": {"source": "data:,n"}}],  # noqa: E501
                 "links": [{"path": "/etc/localtime", "target": "../usr/share/zoneinfo/UTC"}]},
        systemd={"units": [{"name": "kubelet.service", "enabled": True,
                            "contents": "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"}]},  # noqa: E501
        passwd={"users": [{"name": "core", "sshAuthorizedKeys": ["ssh-ed25519 AAAA a"]}]},
    )  # fmt: skip
    child = cfg(
        storage={"files": [{"path": "/etc/localtime", "mode": 420, "contents": {"source": "data:,x"}}]},  # noqa: E501
        systemd={"units": [{"name": "kubelet.service", "dropins": [{"name": "40-x.conf", "contents": "[Service]\nEnvironment=A=1\n"}]}]},  # noqa: E501
        passwd={"users": [{"name": "core", "sshAuthorizedKeys": ["ssh-ed25519 BBBB b"]}]},
    )  # fmt: skip
    merged = merge(parent, child)
    assert not validate(merged)
    path = tmp_path / "merged.ign"
    path.write_text(json.dumps(merged))
    proc = subprocess.run(["ignition-validate", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_keys_unknown_to_a_configs_version_are_dropped_before_merging() -> None:
    # Ignition ignores kernelArguments in a 3.2 config, so it must not come alive in 3.3.
    child = cfg(version="3.2.0", kernelArguments={"shouldExist": ["a"]}, bogus=1)
    assert merge(cfg(), child) == {"ignition": {"version": "3.3.0"}}
