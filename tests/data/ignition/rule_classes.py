"""Configs at the edges of each rule class of Ignition's validation (spec 3.x).

Enumerated from coreos/ignition `config/v3_N/types/*.go` Validate functions and
`config/validate` (duplicate keys). Each case is a (name, config-without-version)
pair; the test adds each spec version and asks both our rule book and the real
`ignition-validate` for a verdict. Good and bad values sit on both sides of each limit.
"""

from __future__ import annotations

from typing import Any

Case = tuple[str, dict[str, Any]]
FS_LABEL_LIMITS = {"ext4": 16, "xfs": 12, "vfat": 11, "swap": 15, "btrfs": 256}
RAID_LEVELS = [
    "linear", "raid0", "0", "stripe", "raid1", "1", "mirror", "raid4", "4", "raid5", "5",
    "raid6", "6", "raid10", "10", "raid9", "RAID1", "", "mirrored",
]  # fmt: skip
GUID = "0FC63DAF-8483-4772-8E79-3D69D8477DE4"


def _storage(**sections: Any) -> dict[str, Any]:
    return {"storage": sections}


def filesystem_labels() -> list[Case]:
    cases = []
    for fmt, limit in FS_LABEL_LIMITS.items():
        for length in (limit, limit + 1):
            fs = {"device": "/dev/sdb", "format": fmt, "label": "L" * length}
            cases.append((f"fs-label-{fmt}-{length}", _storage(filesystems=[fs])))
    cases.append(
        ("fs-label-no-format", _storage(filesystems=[{"device": "/dev/sdb", "label": "x"}]))
    )
    cases.append(
        (
            "fs-label-utf8-bytes",
            _storage(filesystems=[{"device": "/dev/sdb", "format": "vfat", "label": "é" * 6}]),
        )
    )
    return cases  # fmt: skip


def raid_levels() -> list[Case]:
    cases = []
    for level in RAID_LEVELS:
        for spares in (0, 1):
            raid = {"name": "md", "level": level, "devices": ["/dev/a", "/dev/b"], "spares": spares}
            cases.append((f"raid-{level or 'empty'}-spares{spares}", _storage(raid=[raid])))
    cases.append(("raid-no-devices", _storage(raid=[{"name": "md", "level": "raid1"}])))
    cases.append(
        (
            "raid-dup-device",
            _storage(raid=[{"name": "md", "level": "raid1", "devices": ["/dev/a", "/dev/a"]}]),
        )
    )
    cases.append(
        (
            "raid-relative-device",
            _storage(raid=[{"name": "md", "level": "raid1", "devices": ["dev/a", "/dev/b"]}]),
        )
    )
    return cases  # fmt: skip


def _disk(*parts: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return _storage(disks=[{"device": "/dev/sdb", "partitions": list(parts), **extra}])


def partitions() -> list[Case]:
    gone = {"number": 1, "shouldExist": False}
    cases: list[Case] = [
        ("part-delete", _disk(gone)),
        ("part-delete-label", _disk({**gone, "label": "x"})),
        ("part-delete-empty-label", _disk({**gone, "label": ""})),
        ("part-delete-size", _disk({**gone, "sizeMiB": 10})),
        ("part-delete-size-0", _disk({**gone, "sizeMiB": 0})),
        ("part-delete-start-0", _disk({**gone, "startMiB": 0})),
        ("part-delete-typeguid", _disk({**gone, "typeGuid": GUID})),
        ("part-delete-guid", _disk({**gone, "guid": GUID})),
        ("part-delete-empty-guid", _disk({**gone, "guid": ""})),
        ("part-delete-wipe", _disk({**gone, "wipePartitionEntry": True})),
        ("part-delete-with-unnumbered", _disk(gone, {"label": "new"})),
        ("part-no-number-no-label", _disk({"sizeMiB": 5})),
        ("part-label-36", _disk({"label": "p" * 36})),
        ("part-label-37", _disk({"label": "p" * 37})),
        ("part-label-colon", _disk({"label": "a:b"})),
        ("part-label-collide", _disk({"number": 1, "label": "x"}, {"number": 2, "label": "x"})),
        ("part-number-collide", _disk({"number": 1, "label": "x"}, {"number": 1, "label": "y"})),
        (
            "part-overlap",
            _disk(
                {"number": 1, "startMiB": 10, "sizeMiB": 10},
                {"number": 2, "startMiB": 15, "sizeMiB": 10},
            ),
        ),
        (
            "part-adjacent",
            _disk(
                {"number": 1, "startMiB": 10, "sizeMiB": 10},
                {"number": 2, "startMiB": 20, "sizeMiB": 10},
            ),
        ),
        (
            "part-straddle",
            _disk(
                {"number": 1, "startMiB": 10, "sizeMiB": 100},
                {"number": 2, "startMiB": 20, "sizeMiB": 10},
            ),
        ),
        (
            "part-fill-overlap",
            _disk(
                {"number": 1, "startMiB": 10, "sizeMiB": 0},
                {"number": 2, "startMiB": 10, "sizeMiB": 5},
            ),
        ),
        ("part-bad-guid", _disk({"number": 1, "typeGuid": "linux"})),
        ("part-empty-guid", _disk({"number": 1, "guid": ""})),
        (
            "disk-no-device",
            _storage(disks=[{"device": "", "partitions": [{"number": 1}, {"number": 1}]}]),
        ),
        (
            "fs-on-partitioned-disk",
            {
                **_disk({"number": 1, "label": "x"}),
                "storage": {
                    **_disk({"number": 1, "label": "x"})["storage"],
                    "filesystems": [{"device": "/dev/sdb", "format": "ext4"}],
                },
            },
        ),
    ]
    return cases  # fmt: skip


def nodes() -> list[Case]:
    return [
        ("hard-link-owner", _storage(links=[{"path": "/a", "target": "/b", "hard": True, "user": {"id": 1}}])),
        ("hard-link-to-dir", _storage(directories=[{"path": "/d"}], links=[{"path": "/a", "target": "/d", "hard": True}])),
        ("hard-link-relative-to-dir", _storage(directories=[{"path": "/a/d"}], links=[{"path": "/a", "target": "d", "hard": True}])),
        ("soft-link-to-dir", _storage(directories=[{"path": "/d"}], links=[{"path": "/a", "target": "/d"}])),
        ("owner-id-and-empty-name", _storage(files=[{"path": "/a", "user": {"id": 1, "name": ""}}])),
        ("owner-id-and-name", _storage(files=[{"path": "/a", "group": {"id": 1, "name": "g"}}])),
        ("file-under-link", _storage(files=[{"path": "/l/f"}], links=[{"path": "/l", "target": "/t"}])),
        ("unit-path-conflict", {**_storage(files=[{"path": "/etc/systemd/system/a.service"}]), "systemd": {"units": [{"name": "a.service", "contents": "[Unit]\nA=b\n"}]}}),
        ("verification-no-source", _storage(files=[{"path": "/a", "contents": {"verification": {"hash": "sha512-" + "a" * 128}}}])),
        ("header-empty-value", _storage(files=[{"path": "/a", "contents": {"source": "https://x/y", "httpHeaders": [{"name": "A", "value": ""}]}}])),
        ("header-no-source", _storage(files=[{"path": "/a", "contents": {"httpHeaders": [{"name": "A", "value": "b"}]}}])),
        ("s3-empty-version", _storage(files=[{"path": "/a", "contents": {"source": "s3://b/k?versionId="}}])),
        ("s3-version", _storage(files=[{"path": "/a", "contents": {"source": "s3://b/k?versionId=3"}}])),
        ("special-mode", _storage(files=[{"path": "/a", "mode": 0o4755}])),
    ]  # fmt: skip


def luks() -> list[Case]:
    def volume(**extra: Any) -> dict[str, Any]:
        return _storage(luks=[{"name": "v", "device": "/dev/sdc", **extra}])

    return [
        ("luks-label-47", volume(label="l" * 47)),
        ("luks-label-48", volume(label="l" * 48)),
        ("luks-name-slash", _storage(luks=[{"name": "a/b", "device": "/dev/sdc"}])),
        ("luks-bad-keyfile", volume(keyFile={"source": "ftp://x"})),
        ("clevis-custom-only-config", volume(clevis={"custom": {"config": "{}"}})),
        ("clevis-custom-no-config", volume(clevis={"custom": {"pin": "tpm2"}})),
        ("clevis-custom-needs-network", volume(clevis={"custom": {"needsNetwork": True}})),
        ("clevis-custom-and-tpm2", volume(clevis={"custom": {"pin": "tpm2", "config": "{}"}, "tpm2": True})),
        ("clevis-empty-custom-and-tpm2", volume(clevis={"custom": {}, "tpm2": True})),
        ("tang-no-thumbprint", volume(clevis={"tang": [{"url": "http://t"}]})),
        ("tang-bad-scheme", volume(clevis={"tang": [{"url": "ftp://t", "thumbprint": "x"}]})),
    ]  # fmt: skip


def units() -> list[Case]:
    def unit(**fields: Any) -> dict[str, Any]:
        return {"systemd": {"units": [fields]}}

    template = {"name": "t@.service", "contents": "[Service]\nA=b\n"}
    return [
        ("unit-name-only-ext", unit(name=".service")),
        ("unit-name-no-ext", unit(name="a")),
        ("unit-name-ext-in-dir", unit(name="a.service/b")),
        ("dropin-name", unit(name="a.service", dropins=[{"name": "x.conf.d"}])),
        ("template-instance-no-install", {"systemd": {"units": [template, {"name": "t@x.service", "enabled": True}]}}),
    ]  # fmt: skip


def rule_class_cases() -> list[Case]:
    return filesystem_labels() + raid_levels() + partitions() + nodes() + luks() + units()
