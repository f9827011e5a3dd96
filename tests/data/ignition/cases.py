"""Hand-made Ignition configs with the verdict of Debian's ignition-validate 2.14.

Each case is (name, config, valid). The verdicts were taken from the real validator and
are re-checked against it by tests/test_ignition_agreement.py whenever it is installed,
so they cannot drift from the oracle silently.
"""

from __future__ import annotations

import copy
from typing import Any

Case = tuple[str, dict[str, Any], bool]

HASH512 = "sha512-" + "ab" * 64
HASH256 = "sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
INSTALL_UNIT = (
    "[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"
)


def ign(version: str, **sections: Any) -> dict[str, Any]:
    config: dict[str, Any] = {"ignition": {"version": version}}
    config.update(copy.deepcopy(sections))
    return config


def files(*entries: dict[str, Any], **storage: Any) -> dict[str, Any]:
    return {"files": list(entries), **storage}


def unit(contents: str, **extra: Any) -> dict[str, Any]:
    return {"systemd": {"units": [{"name": "a.service", "contents": contents, **extra}]}}


def _per_version(version: str) -> list[Case]:
    v = version

    def f(**kw: Any) -> dict[str, Any]:
        return ign(v, storage=files({"path": "/etc/a", **kw}))

    def src(s: str, **kw: Any) -> dict[str, Any]:
        return f(contents={"source": s, **kw})

    return [
        ("minimal", ign(v), True),
        ("file-plain", f(mode=420), True),
        ("file-relative", ign(v, storage=files({"path": "etc/a"})), False),
        ("file-unclean", ign(v, storage=files({"path": "/etc//a"})), False),
        ("file-dotdot", ign(v, storage=files({"path": "/etc/../a"})), False),
        ("file-trailing-slash", ign(v, storage=files({"path": "/etc/a/"})), False),
        ("file-null-path", ign(v, storage=files({"path": None})), False),
        ("file-no-path", ign(v, storage=files({"mode": 420})), False),
        ("mode-max", f(mode=0o7777), True),
        ("mode-too-big", f(mode=0o10000), False),
        ("mode-negative", f(mode=-1), False),
        ("mode-string", f(mode="0644"), False),
        ("mode-float", f(mode=420.0), False),
        ("mode-bool", f(mode=True), False),
        ("unknown-key", f(bogus=1), True),
        ("unknown-top-key", ign(v, bogus={"a": 1}), True),
        ("data-pct", src("data:,hello%20world"), True),
        ("data-empty", src("data:,"), True),
        ("data-b64", src("data:;base64,aGVsbG8="), True),
        ("data-b64-unpadded", src("data:;base64,aGVsbG8"), False),
        ("data-b64-bad", src("data:;base64,!!"), False),
        ("data-media", src("data:text/plain;charset=utf-8;base64,aGVsbG8="), True),
        ("data-no-slash", src("data:text,abc"), False),
        ("data-space", src("data:,a b"), False),
        ("data-hash-char", src("data:,a#b"), False),
        ("data-bad-escape", src("data:,%ZZ"), False),
        ("data-no-comma", src("data:abc"), False),
        ("source-empty", src(""), True),
        ("source-https", src("https://example.com/a"), True),
        ("source-tftp", src("tftp://example.com/a"), True),
        ("source-s3", src("s3://bucket/key"), True),
        ("source-ftp", src("ftp://example.com/a"), False),
        ("source-no-scheme", src("/abs/path"), False),
        ("source-space-host", src("http://exa mple/a"), False),
        ("compression-gzip", src("data:,a", compression="gzip"), True),
        ("compression-empty", src("data:,a", compression=""), True),
        ("compression-xz", src("data:,a", compression="xz"), False),
        ("hash-sha512", src("https://x/a", verification={"hash": HASH512}), True),
        ("hash-short", src("https://x/a", verification={"hash": "sha512-abc"}), False),
        ("hash-md5", src("https://x/a", verification={"hash": "md5-abc"}), False),
        ("hash-malformed", src("https://x/a", verification={"hash": "abc"}), False),
        ("overwrite-with-source", f(overwrite=True, contents={"source": "data:,a"}), True),
        ("overwrite-no-source", f(overwrite=True), False),
        ("overwrite-empty-source", f(overwrite=True, contents={"source": ""}), True),
        ("append-list", f(append=[{"source": "data:,a"}, {"source": "data:,a"}]), True),
        ("append-no-source", f(append=[{}]), True),
        ("append-bad-source", f(append=[{"source": "data:,a b"}]), False),
        ("owner-id", f(user={"id": 0}, group={"name": "root"}), True),
        ("owner-both", f(user={"id": 0, "name": "root"}), False),
        ("dup-file", ign(v, storage=files({"path": "/a"}, {"path": "/a"})), False),
        (
            "dup-file-dir",
            ign(v, storage=files({"path": "/a"}, directories=[{"path": "/a"}])),
            False,
        ),
        (
            "dup-dir-link",
            ign(
                v,
                storage={
                    "directories": [{"path": "/a"}],
                    "links": [{"path": "/a", "target": "/b"}],
                },
            ),
            False,
        ),
        ("file-under-file", ign(v, storage=files({"path": "/a"}, {"path": "/a/b"})), True),
        (
            "file-under-link",
            ign(v, storage=files({"path": "/a/b"}, links=[{"path": "/a", "target": "/x"}])),
            False,
        ),
        (
            "dir-under-link",
            ign(
                v,
                storage={
                    "directories": [{"path": "/a/b"}],
                    "links": [{"path": "/a", "target": "/x"}],
                },
            ),
            False,
        ),
        ("link-ok", ign(v, storage={"links": [{"path": "/a", "target": "../b"}]}), True),
        (
            "link-hard",
            ign(v, storage={"links": [{"path": "/a", "target": "b", "hard": True}]}),
            True,
        ),
        # A missing link target became an error in 3.3.
        ("link-no-target", ign(v, storage={"links": [{"path": "/a"}]}), v < "3.3.0"),
        ("dir-mode", ign(v, storage={"directories": [{"path": "/d", "mode": 448}]}), True),
        ("dir-bad-mode", ign(v, storage={"directories": [{"path": "/d", "mode": 99999}]}), False),
        ("files-not-list", ign(v, storage={"files": {"path": "/a"}}), False),
        ("storage-null", ign(v, storage=None, systemd=None, passwd=None), True),
        ("unit-ok", unit_cfg(v, INSTALL_UNIT, enabled=True), True),
        (
            "unit-enabled-no-install",
            unit_cfg(v, "[Service]\nExecStart=/bin/true\n", enabled=True),
            True,
        ),
        ("unit-unterminated-section", unit_cfg(v, "[Service"), False),
        ("unit-option-no-equals", unit_cfg(v, "[Service]\nfoo"), False),
        ("unit-garbage-after-section", unit_cfg(v, "[Unit] x\nA=b"), False),
        ("unit-leading-garbage", unit_cfg(v, "garbage\n[Unit]\nA=b"), True),
        ("unit-long-line", unit_cfg(v, "[Unit]\nA=" + "x" * 3000), False),
        ("unit-continuation", unit_cfg(v, "[Service]\nExecStart=/bin/a \\\n  b\n"), True),
        ("unit-mask", ign(v, systemd={"units": [{"name": "a.service", "mask": True}]}), True),
        ("unit-no-suffix", ign(v, systemd={"units": [{"name": "a"}]}), False),
        ("unit-bad-suffix", ign(v, systemd={"units": [{"name": "a.foo"}]}), False),
        ("unit-no-name", ign(v, systemd={"units": [{"enabled": True}]}), False),
        ("unit-timer", ign(v, systemd={"units": [{"name": "a.timer"}]}), True),
        (
            "unit-dup",
            ign(v, systemd={"units": [{"name": "a.service"}, {"name": "a.service"}]}),
            False,
        ),
        ("dropin-ok", dropins(v, {"name": "10-a.conf", "contents": "[Service]\nX=1"}), True),
        ("dropin-only-name", dropins(v, {"name": "10-a.conf"}), True),
        ("dropin-bad-suffix", dropins(v, {"name": "10-a"}), False),
        ("dropin-bad-contents", dropins(v, {"name": "a.conf", "contents": "[Service"}), False),
        ("dropin-dup", dropins(v, {"name": "a.conf"}, {"name": "a.conf"}), False),
        (
            "user-core",
            ign(
                v,
                passwd={
                    "users": [
                        {
                            "name": "core",
                            "sshAuthorizedKeys": ["ssh-ed25519 AAAA a"],
                            "groups": ["wheel"],
                        }
                    ]
                },
            ),
            True,
        ),
        (
            "user-dup-key",
            ign(v, passwd={"users": [{"name": "core", "sshAuthorizedKeys": ["k", "k"]}]}),
            False,
        ),
        (
            "user-dup-group",
            ign(v, passwd={"users": [{"name": "core", "groups": ["g", "g"]}]}),
            False,
        ),
        ("user-dup", ign(v, passwd={"users": [{"name": "a"}, {"name": "a"}]}), False),
        ("user-empty", ign(v, passwd={"users": [{}]}), True),
        ("user-relative-home", ign(v, passwd={"users": [{"name": "a", "homeDir": "rel"}]}), True),
        ("user-uid-string", ign(v, passwd={"users": [{"name": "a", "uid": "1000"}]}), False),
        ("group-dup", ign(v, passwd={"groups": [{"name": "g"}, {"name": "g"}]}), False),
        ("group-ok", ign(v, passwd={"groups": [{"name": "g", "gid": 500, "system": True}]}), True),
        ("merge-ok", ign_section(v, config={"merge": [{"source": "data:,x"}]}), True),
        # 3.0 tolerated a merge entry without a source.
        ("merge-no-source", ign_section(v, config={"merge": [{}]}), v == "3.0.0"),
        (
            "merge-dup",
            ign_section(v, config={"merge": [{"source": "data:,x"}, {"source": "data:,x"}]}),
            False,
        ),
        ("replace-ok", ign_section(v, config={"replace": {"source": "https://x/c.ign"}}), True),
        ("replace-empty", ign_section(v, config={"replace": {}}), True),
        ("replace-bad-scheme", ign_section(v, config={"replace": {"source": "ftp://x"}}), False),
        (
            "ca-ok",
            ign_section(v, security={"tls": {"certificateAuthorities": [{"source": "data:,pem"}]}}),
            True,
        ),
        ("ca-no-source", ign_section(v, security={"tls": {"certificateAuthorities": [{}]}}), False),
        ("timeouts", ign_section(v, timeouts={"httpTotal": 30, "httpResponseHeaders": 5}), True),
        ("timeouts-string", ign_section(v, timeouts={"httpTotal": "30"}), False),
        ("version-bad", {"ignition": {"version": "3.3"}}, False),
        ("version-missing", {"ignition": {}}, False),
        ("no-ignition", {}, False),
        ("not-object", [], False),  # type: ignore[list-item]
        (
            "fs-ok",
            fs(v, {"device": "/dev/sdb", "format": "ext4", "path": "/var", "label": "VAR"}),
            True,
        ),
        ("fs-bad-format", fs(v, {"device": "/dev/sdb", "format": "ntfs"}), False),
        ("fs-no-format-with-path", fs(v, {"device": "/dev/sdb", "path": "/var"}), False),
        ("fs-device-only", fs(v, {"device": "/dev/sdb"}), True),
        ("fs-relative-device", fs(v, {"device": "sdb", "format": "ext4"}), False),
        ("fs-relative-path", fs(v, {"device": "/dev/sdb", "format": "ext4", "path": "var"}), False),
        (
            "fs-long-label",
            fs(v, {"device": "/dev/sdb", "format": "ext4", "label": "x" * 17}),
            False,
        ),
        ("fs-xfs-label", fs(v, {"device": "/dev/sdb", "format": "xfs", "label": "x" * 12}), True),
        (
            "fs-dup",
            fs(
                v, {"device": "/dev/sdb", "format": "ext4"}, {"device": "/dev/sdb", "format": "xfs"}
            ),
            False,
        ),
        ("fs-no-device", fs(v, {"format": "ext4"}), False),
        (
            "disk-ok",
            disks(
                v,
                {
                    "device": "/dev/sda",
                    "wipeTable": True,
                    "partitions": [
                        {"number": 1, "label": "root", "sizeMiB": 1024},
                        {"label": "data"},
                    ],
                },
            ),
            True,
        ),
        ("disk-relative", disks(v, {"device": "sda"}), False),
        ("disk-no-device", disks(v, {}), False),
        ("disk-dup", disks(v, {"device": "/dev/sda"}, {"device": "/dev/sda"}), False),
        (
            "part-dup-number",
            disks(v, {"device": "/dev/sda", "partitions": [{"number": 1}, {"number": 1}]}),
            False,
        ),
        (
            "part-colon-label",
            disks(v, {"device": "/dev/sda", "partitions": [{"label": "a:b"}]}),
            False,
        ),
        (
            "part-long-label",
            disks(v, {"device": "/dev/sda", "partitions": [{"label": "x" * 37}]}),
            False,
        ),
        (
            "part-bad-guid",
            disks(v, {"device": "/dev/sda", "partitions": [{"number": 1, "typeGuid": "zz"}]}),
            False,
        ),
        (
            "part-guid",
            disks(
                v,
                {
                    "device": "/dev/sda",
                    "partitions": [
                        {"number": 1, "typeGuid": "0FC63DAF-8483-4772-8E79-3D69D8477DE4"}
                    ],
                },
            ),
            True,
        ),
        (
            "part-shouldexist-false-extra",
            disks(
                v,
                {
                    "device": "/dev/sda",
                    "partitions": [{"number": 1, "shouldExist": False, "label": "x"}],
                },
            ),
            False,
        ),
        (
            "part-shouldexist-false",
            disks(v, {"device": "/dev/sda", "partitions": [{"number": 1, "shouldExist": False}]}),
            True,
        ),
        (
            "raid-ok",
            raid(
                v,
                {
                    "name": "md0",
                    "level": "raid1",
                    "devices": ["/dev/a", "/dev/b"],
                    "options": ["x", "x"],
                },
            ),
            True,
        ),
        (
            "raid-bad-level",
            raid(v, {"name": "md0", "level": "raid9", "devices": ["/dev/a"]}),
            False,
        ),
        (
            "raid-spares-raid0",
            raid(v, {"name": "md0", "level": "raid0", "devices": ["/dev/a"], "spares": 1}),
            False,
        ),
        (
            "raid-relative-device",
            raid(v, {"name": "md0", "level": "raid1", "devices": ["a"]}),
            False,
        ),
        (
            "raid-dup-device",
            raid(v, {"name": "md0", "level": "raid1", "devices": ["/dev/a", "/dev/a"]}),
            False,
        ),
        ("raid-missing", raid(v, {"name": "md0"}), False),
        (
            "raid-dup",
            raid(
                v,
                {"name": "m", "level": "raid1", "devices": ["/dev/a"]},
                {"name": "m", "level": "raid1", "devices": ["/dev/b"]},
            ),
            False,
        ),
    ]


def unit_cfg(version: str, contents: str, **extra: Any) -> dict[str, Any]:
    return ign(version, **unit(contents, **extra))


def dropins(version: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return ign(version, systemd={"units": [{"name": "a.service", "dropins": list(entries)}]})


def ign_section(version: str, **fields: Any) -> dict[str, Any]:
    return {"ignition": {"version": version, **copy.deepcopy(fields)}}


def fs(version: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return ign(version, storage={"filesystems": list(entries)})


def disks(version: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return ign(version, storage={"disks": list(entries)})


def raid(version: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return ign(version, storage={"raid": list(entries)})


def luks(version: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return ign(version, storage={"luks": list(entries)})


def _version_specific() -> list[Case]:
    out: list[Case] = []

    def https(v: str, **kw: Any) -> dict[str, Any]:
        return ign(v, storage=files({"path": "/a", "contents": {"source": "https://x/a", **kw}}))

    def gs(v: str) -> dict[str, Any]:
        return ign(v, storage=files({"path": "/a", "contents": {"source": "gs://b/o"}}))

    out += [
        ("3.0-sha256", https("3.0.0", verification={"hash": HASH256}), False),
        ("3.1-sha256", https("3.1.0", verification={"hash": HASH256}), True),
        ("3.0-headers-unused", https("3.0.0", httpHeaders=[{"name": "A", "value": "b"}]), True),
        ("3.1-headers", https("3.1.0", httpHeaders=[{"name": "A", "value": "b"}]), True),
        (
            "3.1-headers-data",
            ign(
                "3.1.0",
                storage=files(
                    {
                        "path": "/a",
                        "contents": {
                            "source": "data:,a",
                            "httpHeaders": [{"name": "A", "value": "b"}],
                        },
                    }
                ),
            ),
            False,
        ),
        (
            "3.1-headers-dup",
            https("3.1.0", httpHeaders=[{"name": "A", "value": "b"}, {"name": "A", "value": "c"}]),
            False,
        ),
        ("3.1-headers-empty-name", https("3.1.0", httpHeaders=[{"name": "", "value": "b"}]), False),
        ("3.1-headers-no-value", https("3.1.0", httpHeaders=[{"name": "A"}]), True),
        ("3.0-gs", gs("3.0.0"), False),
        ("3.1-gs", gs("3.1.0"), False),
        ("3.2-gs", gs("3.2.0"), True),
        (
            "3.3-arn",
            ign("3.3.0", storage=files({"path": "/a", "contents": {"source": "arn:aws:s3:::b/k"}})),
            False,
        ),
        (
            "3.0-merge-compression-unused",
            ign_section("3.0.0", config={"merge": [{"source": "data:,x", "compression": "bogus"}]}),
            True,
        ),
        (
            "3.1-merge-compression-bad",
            ign_section("3.1.0", config={"merge": [{"source": "data:,x", "compression": "bogus"}]}),
            False,
        ),
        (
            "3.1-proxy",
            ign_section(
                "3.1.0",
                proxy={
                    "httpProxy": "http://p:3128",
                    "httpsProxy": "https://p",
                    "noProxy": ["a.example"],
                },
            ),
            True,
        ),
        (
            "3.1-proxy-http-for-https",
            ign_section("3.1.0", proxy={"httpsProxy": "http://p:3128"}),
            True,
        ),
        ("3.1-proxy-bad", ign_section("3.1.0", proxy={"httpProxy": "foo"}), False),
        ("3.1-proxy-ftp", ign_section("3.1.0", proxy={"httpProxy": "ftp://foo"}), False),
        ("3.1-proxy-dup", ign_section("3.1.0", proxy={"noProxy": ["a", "a"]}), False),
        ("3.0-proxy-unused", ign_section("3.0.0", proxy={"httpProxy": "foo"}), True),
        (
            "3.1-mountoptions",
            fs(
                "3.1.0",
                {
                    "device": "/dev/a",
                    "format": "btrfs",
                    "mountOptions": ["subvolid=5", "subvolid=5"],
                },
            ),
            True,
        ),
        ("3.0-mountoptions-unused", fs("3.0.0", {"device": "/dev/a", "mountOptions": ["x"]}), True),
        (
            "3.1-mountoptions-no-format",
            fs("3.1.0", {"device": "/dev/a", "mountOptions": ["x"]}),
            False,
        ),
        (
            "3.2-luks",
            luks("3.2.0", {"name": "x", "device": "/dev/a", "keyFile": {"source": "data:,k"}}),
            True,
        ),
        ("3.1-luks-unused", luks("3.1.0", {"device": "a"}), True),
        ("3.2-luks-no-device", luks("3.2.0", {"name": "x"}), False),
        ("3.2-luks-relative", luks("3.2.0", {"name": "x", "device": "a"}), False),
        (
            "3.2-luks-dup",
            luks("3.2.0", {"name": "x", "device": "/dev/a"}, {"name": "x", "device": "/dev/b"}),
            False,
        ),
        (
            "3.2-luks-custom-and-tpm",
            luks(
                "3.2.0",
                {
                    "name": "x",
                    "device": "/dev/a",
                    "clevis": {"tpm2": True, "custom": {"pin": "tpm2", "config": "{}"}},
                },
            ),
            False,
        ),
        (
            "3.2-luks-custom-pin",
            luks(
                "3.2.0",
                {
                    "name": "x",
                    "device": "/dev/a",
                    "clevis": {"custom": {"pin": "foo", "config": "{}"}},
                },
            ),
            False,
        ),
        (
            "3.2-luks-tang-no-thumb",
            luks(
                "3.2.0",
                {"name": "x", "device": "/dev/a", "clevis": {"tang": [{"url": "http://t"}]}},
            ),
            False,
        ),
        (
            "3.2-luks-tang",
            luks(
                "3.2.0",
                {
                    "name": "x",
                    "device": "/dev/a",
                    "clevis": {"tang": [{"url": "http://t", "thumbprint": "abc"}], "threshold": 1},
                },
            ),
            True,
        ),
        (
            "3.2-luks-keyfile-bad",
            luks("3.2.0", {"name": "x", "device": "/dev/a", "keyFile": {"source": "data:,a b"}}),
            False,
        ),
        (
            "3.2-user-shouldexist",
            ign(
                "3.2.0",
                passwd={
                    "users": [{"name": "a", "shouldExist": False}],
                    "groups": [{"name": "g", "shouldExist": False}],
                },
            ),
            True,
        ),
        (
            "3.2-partition-resize",
            disks(
                "3.2.0",
                {"device": "/dev/a", "partitions": [{"number": 4, "resize": True, "sizeMiB": 100}]},
            ),
            True,
        ),
        ("3.2-fs-none", fs("3.2.0", {"device": "/dev/a", "format": "none"}), False),
        (
            "3.3-fs-none",
            fs("3.3.0", {"device": "/dev/a", "format": "none", "wipeFilesystem": True}),
            True,
        ),
        (
            "3.3-kargs",
            ign("3.3.0", kernelArguments={"shouldExist": ["a", "b c"], "shouldNotExist": ["d"]}),
            True,
        ),
        ("3.3-kargs-dup", ign("3.3.0", kernelArguments={"shouldExist": ["a", "a"]}), False),
        (
            "3.3-kargs-conflict",
            ign("3.3.0", kernelArguments={"shouldExist": ["a"], "shouldNotExist": ["a"]}),
            False,
        ),
        (
            "3.2-kargs-unused",
            ign("3.2.0", kernelArguments={"shouldExist": ["a"], "shouldNotExist": ["a"]}),
            True,
        ),
        ("3.3-setuid-warning", ign("3.3.0", storage=files({"path": "/a", "mode": 0o4755})), True),
    ]
    return out


SPEC3_ORACLE_VERSIONS = ("3.0.0", "3.1.0", "3.2.0", "3.3.0")


def oracle_cases() -> list[Case]:
    """Cases for spec versions Debian's ignition-validate (2.14) understands."""
    cases: list[Case] = []
    for version in SPEC3_ORACLE_VERSIONS:
        cases += [(f"{version}/{name}", cfg, ok) for name, cfg, ok in _per_version(version)]
    cases += _version_specific()
    return cases


def spec3_cases(version: str) -> list[Case]:
    return _per_version(version)
