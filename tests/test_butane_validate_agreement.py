"""Differential test: our Ignition rules agree with Debian's ignition-validate on
generated configs full of edge values (paths, modes, URLs, hashes, units, disks, LUKS).

Butane runs Ignition's validation on its output, so agreeing with the real validator
(spec 3.0.0-3.3.0) is what "rejects exactly what Butane rejects" means here.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typhoon_tf.butane import serialize
from typhoon_tf.butane.pipeline import check_unchecked, translate_unchecked
from typhoon_tf.errors import UserError
from typhoon_tf.ignition.specrules import ORACLE_RELEASE

CORPUS = Path(__file__).parent / "data" / "conformance" / "butane"
IGNITION_VALIDATE = shutil.which("ignition-validate")

paths = st.sampled_from(
    [
        "/etc/a",
        "/etc/a/b",
        "etc/rel",
        "/",
        "/etc/a/",
        "/etc//x",
        "/var/../etc/y",
        "",
        "/etc/sp ace",
        "/dev/sda",
        "/dev/md/x",
        "/dev/disk/by-label/x",
    ]
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


modes = st.sampled_from([0, 0o644, 0o755, 0o7777, 0o10000, -1, 420, 4095, 0o4755])
srcs = st.sampled_from(
    [
        "https://x/y",
        "http://x",
        "s3://b/k",
        "gs://b/k",
        "tftp://h/f",
        "data:,abc",
        "data:;base64,YWJj",
        "data:,a b",
        "ftp://x",
        "arn:aws:s3:::b/k",
        "x",
        "",
        "https://x/%zz",
        "data:text/plain,abc",
        "data:;base64,!!",
    ]
)
hashes = st.sampled_from(
    [
        "sha512-" + "a" * 128,
        "sha256-" + "b" * 64,
        "sha512-abc",
        "md5-" + "c" * 32,
        "sha512",
        "sha256-" + "z" * 64,
    ]
)
res = st.fixed_dictionaries(
    {},
    optional={
        "source": srcs,
        "inline": st.sampled_from(["x", ""]),
        "compression": st.sampled_from(["", "gzip", "xz"]),
        "verification": st.fixed_dictionaries({"hash": hashes}),
        "http_headers": st.lists(
            st.fixed_dictionaries(
                {"name": st.sampled_from(["A", "", "B"])},
                optional={"value": st.sampled_from(["v", ""])},
            ),
            max_size=3,
        ),
    },
)
owner = st.fixed_dictionaries(
    {}, optional={"id": st.integers(-1, 5), "name": st.sampled_from(["core", "", "x"])}
)
node = {"path": paths}
opt_node = {"overwrite": st.booleans(), "user": owner, "group": owner}
file_ = st.fixed_dictionaries(
    node, optional={**opt_node, "mode": modes, "contents": res, "append": st.lists(res, max_size=2)}
)
dir_ = st.fixed_dictionaries(node, optional={**opt_node, "mode": modes})
link = st.fixed_dictionaries(
    node,
    optional={
        **opt_node,
        "target": st.sampled_from(["/etc/t", "rel", "", "/etc/a"]),
        "hard": st.booleans(),
    },
)
units = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(
                [
                    "a.service",
                    "b.timer",
                    "c",
                    "d.mount",
                    "e.target",
                    ".service",
                    "f.slice",
                    "g@.service",
                    "h@x.service",
                ]
            )
        },
        optional={
            "enabled": st.booleans(),
            "mask": st.booleans(),
            "contents": st.sampled_from(
                [
                    "[Unit]\nA=b\n",
                    "[Install]\nWantedBy=x\n",
                    "junk",
                    "[Service]\n",
                    "[Install]\n",
                    "A=b\n[Install]\nX=y",
                    "",
                ]
            ),
            "dropins": st.lists(
                st.fixed_dictionaries(
                    {"name": st.sampled_from(["a.conf", "b", "c.conf"])},
                    optional={"contents": st.sampled_from(["[Service]\nA=b\n", "junk"])},
                ),
                max_size=2,
            ),
        },
    ),
    max_size=3,
)
part = st.fixed_dictionaries(
    {},
    optional={
        "number": st.integers(0, 3),
        "label": st.sampled_from(["root", "a:b", "x" * 40, "data", ""]),
        "size_mib": st.integers(0, 10),
        "start_mib": st.integers(0, 10),
        "type_guid": st.sampled_from(["0FC63DAF-8483-4772-8E79-3D69D8477DE4", "bad", "linux"]),
        "guid": st.sampled_from(["5F6E2C10-41B7-4C3E-9D2A-1B7C0E9A4D11", "nope"]),
        "should_exist": st.booleans(),
        "wipe_partition_entry": st.booleans(),
        "resize": st.booleans(),
    },
)
disk = st.fixed_dictionaries(
    {"device": paths},
    optional={"wipe_table": st.booleans(), "partitions": st.lists(part, max_size=3)},
)
fs = st.fixed_dictionaries(
    {"device": paths},
    optional={
        "format": st.sampled_from(["ext4", "xfs", "vfat", "swap", "btrfs", "none", "zfs", ""]),
        "path": maybe(paths),
        "label": st.sampled_from(["l", "a" * 13, "b" * 17, "c" * 12, "d" * 15, "e" * 16]),
        "uuid": st.sampled_from(["2d4b9a8e-7c1f-4e0a-b3d5-6f8e9a0b1c2d", "ABCD-1234", "x"]),
        "wipe_filesystem": st.booleans(),
        "options": st.lists(st.sampled_from(["-E", "x"]), max_size=2),
        "mount_options": st.lists(st.sampled_from(["ro", "noatime"]), max_size=2),
    },
)
raid = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["md", ""]),
        "level": st.sampled_from(
            ["raid0", "raid1", "raid5", "linear", "raid10", "raid9", "", "mirror", "stripe", "1"]
        ),
    },
    optional={
        "devices": st.lists(paths, max_size=3),
        "spares": st.integers(-1, 2),
        "options": st.lists(st.just("--x"), max_size=1),
    },
)
tang = st.fixed_dictionaries(
    {},
    optional={
        "url": st.sampled_from(["http://t", "https://t", "ftp://t", "", "t"]),
        "thumbprint": st.sampled_from(["abc", ""]),
    },
)
luks = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["a", "", "b"]),
        "device": paths,
        "key_file": res,
        "label": st.just("l"),
        "uuid": st.sampled_from(["6b2c4f3e-1a9d-4c7b-8e5f-0d1a2b3c4d5e", "bad"]),
        "wipe_volume": st.booleans(),
        "options": st.lists(st.just("--x"), max_size=1),
        "clevis": st.fixed_dictionaries(
            {},
            optional={
                "tpm2": st.booleans(),
                "threshold": st.integers(-1, 3),
                "tang": st.lists(tang, max_size=2),
                "custom": st.fixed_dictionaries(
                    {},
                    optional={
                        "pin": st.sampled_from(["tpm2", "sss", "", "x"]),
                        "config": st.sampled_from(["{}", ""]),
                        "needs_network": st.booleans(),
                    },
                ),
            },
        ),
    },
)
user = st.fixed_dictionaries(
    {"name": st.sampled_from(["core", "a", "", "root"])},
    optional={
        "uid": st.integers(-1, 2000),
        "ssh_authorized_keys": st.lists(st.sampled_from(["k1", "k2", ""]), max_size=3),
        "groups": st.lists(st.sampled_from(["wheel", "", "x"]), max_size=3),
        "home_dir": paths,
        "shell": paths,
        "should_exist": st.booleans(),
        "no_create_home": st.booleans(),
        "system": st.booleans(),
        "password_hash": st.sampled_from(["", "$6$x"]),
    },
)
group = st.fixed_dictionaries(
    {"name": st.sampled_from(["g", "", "wheel"])},
    optional={
        "gid": st.integers(-1, 2000),
        "should_exist": st.booleans(),
        "system": st.booleans(),
        "password_hash": st.just("x"),
    },
)
ign = st.fixed_dictionaries(
    {},
    optional={
        "config": st.fixed_dictionaries(
            {}, optional={"merge": st.lists(res, max_size=2), "replace": res}
        ),
        "timeouts": st.fixed_dictionaries(
            {},
            optional={
                "http_total": st.integers(-1, 5),
                "http_response_headers": st.integers(-1, 5),
            },
        ),
        "security": st.fixed_dictionaries(
            {"tls": st.fixed_dictionaries({"certificate_authorities": st.lists(res, max_size=2)})}
        ),
        "proxy": st.fixed_dictionaries(
            {},
            optional={
                "http_proxy": st.sampled_from(["http://p", "p", "", "https://p"]),
                "https_proxy": st.sampled_from(["http://p", "p"]),
                "no_proxy": st.lists(st.sampled_from(["a", "b", ""]), max_size=3),
            },
        ),
    },
)
doc = st.fixed_dictionaries(
    {
        "variant": st.just("fcos"),
        "version": st.sampled_from(["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"]),
    },
    optional={
        "ignition": ign,
        "storage": st.fixed_dictionaries(
            {},
            optional={
                "files": st.lists(file_, max_size=3),
                "directories": st.lists(dir_, max_size=2),
                "links": st.lists(link, max_size=2),
                "disks": st.lists(disk, max_size=2),
                "filesystems": st.lists(fs, max_size=2),
                "raid": st.lists(raid, max_size=2),
                "luks": st.lists(luks, max_size=2),
            },
        ),
        "systemd": st.fixed_dictionaries({"units": units}),
        "passwd": st.fixed_dictionaries(
            {},
            optional={"users": st.lists(user, max_size=3), "groups": st.lists(group, max_size=2)},
        ),
        "kernel_arguments": st.fixed_dictionaries(
            {},
            optional={
                "should_exist": st.lists(st.sampled_from(["a", "b=1", ""]), max_size=3),
                "should_not_exist": st.lists(st.sampled_from(["a", "c"]), max_size=2),
            },
        ),
    },
)


def _validate(config: dict[str, Any]) -> tuple[bool, bool]:
    """(errors, warnings) according to ignition-validate."""
    assert IGNITION_VALIDATE is not None
    with tempfile.NamedTemporaryFile("w", suffix=".ign") as handle:
        handle.write(serialize(config))
        handle.flush()
        proc = subprocess.run(
            [IGNITION_VALIDATE, handle.name], capture_output=True, text=True, timeout=60
        )
    output = (proc.stdout + proc.stderr).strip()
    return proc.returncode != 0, proc.returncode == 0 and bool(output)


@pytest.mark.skipif(
    IGNITION_VALIDATE is None, reason="ignition-validate not installed (apt ignition)"
)
@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(doc)
def test_generated_configs_agree_with_ignition_validate(document: dict[str, Any]) -> None:
    try:
        unchecked = translate_unchecked(yaml.safe_dump(document), str(CORPUS), "<test>")
    except UserError:
        return  # rejected by Butane's own checks, before Ignition's rules
    warnings_before = len(unchecked.report.warnings)
    try:
        check_unchecked(unchecked, ORACLE_RELEASE)
        we_reject = False
    except UserError:
        we_reject = True
    they_reject, they_warn = _validate(unchecked.config)
    assert we_reject == they_reject, serialize(unchecked.config)
    if not we_reject:
        we_warn = len(unchecked.report.warnings) > warnings_before
        assert we_warn == they_warn, serialize(unchecked.config)
