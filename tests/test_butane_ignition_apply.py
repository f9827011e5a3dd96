"""Apply our output with the real Ignition binary (files stage, scratch root under tmp) and
check that what lands on disk is what real Butane's expected output describes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from uninstallable import NOT_ROOT

from typhoon_tf.butane import serialize, translate
from typhoon_tf.ignition.dataurl import decode_data_url

CORPUS = Path(__file__).parent / "data" / "conformance" / "butane"
IGNITION = Path("/usr/lib/dracut/modules.d/30ignition/ignition")
APPLICABLE_VERSIONS = ("3.0.0", "3.1.0", "3.2.0", "3.3.0")  # Debian's Ignition 2.14


def _only_local_content(config: dict[str, Any]) -> bool:
    """No disks (never touched here) and no remote sources (Ignition retries forever)."""
    storage = config.get("storage", {})
    if any(storage.get(k) for k in ("disks", "filesystems", "luks", "raid")):
        return False
    if config["ignition"].get("config") or config["ignition"].get("security"):
        return False
    for file in storage.get("files", []):
        for res in [file.get("contents", {}), *file.get("append", [])]:
            if res.get("source") and not res["source"].startswith("data:"):
                return False
    return True


def _cases() -> list[str]:
    out = []
    for case in sorted(p.name for p in CORPUS.iterdir() if (p / "expected.ign").exists()):
        expected = json.loads((CORPUS / case / "expected.ign").read_text())
        if expected["ignition"]["version"] in APPLICABLE_VERSIONS and _only_local_content(expected):
            out.append(case)
    return out


def _scratch_root(base: Path) -> Path:
    """A minimal OS image: root/core users and the usual groups (as on FCOS/Flatcar)."""
    root = base / "root"
    (root / "etc" / "selinux").mkdir(parents=True)
    (root / "etc" / "passwd").write_text(
        "root:x:0:0:root:/root:/bin/bash\ncore:x:1000:1000:Core:/home/core:/bin/bash\n"
    )
    groups = {"root": 0, "wheel": 10, "adm": 4, "sudo": 16, "docker": 233, "core": 1000}
    (root / "etc" / "group").write_text("".join(f"{g}:x:{n}:\n" for g, n in groups.items()))
    (root / "etc" / "gshadow").write_text("".join(f"{g}:!::\n" for g in groups))
    (root / "etc" / "shadow").write_text("root:*:19000:0:99999:7:::\ncore:*:19000:0:99999:7:::\n")
    (root / "etc" / "hosts").write_text("127.0.0.1 localhost\n")
    (root / "home" / "core").mkdir(parents=True)
    os.chown(root / "home" / "core", 1000, 1000)
    if Path("/etc/login.defs").exists():
        shutil.copy("/etc/login.defs", root / "etc" / "login.defs")
    (root / "etc" / "selinux" / "config").write_text("SELINUXTYPE=targeted\n")
    fakebin = base / "fakebin"
    fakebin.mkdir()
    # Ignition relabels with setfiles; there is no SELinux policy in a scratch root.
    (fakebin / "setfiles").write_text("#!/bin/sh\ncat >/dev/null\nexit 0\n")
    (fakebin / "setfiles").chmod(0o755)
    return root


def _apply(config_text: str, base: Path) -> Path:
    root = _scratch_root(base)
    work = base / "work"
    work.mkdir()
    config = base / "config.ign"
    config.write_text(config_text)
    env = dict(os.environ)
    env["PATH"] = f"{base / 'fakebin'}:{env.get('PATH', '')}"
    env["IGNITION_CONFIG_FILE"] = str(config)
    common = [
        str(IGNITION),
        "-platform", "file",
        "-root", str(root),
        "-config-cache", str(work / "ignition.json"),
        "-state-file", str(work / "state"),
        "-neednet", str(work / "neednet"),
        "-log-to-stdout",
    ]  # fmt: skip
    for stage in ("fetch-offline", "files"):
        proc = subprocess.run(
            [*common, "-stage", stage], env=env, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return root


@pytest.mark.skipif(not IGNITION.exists(), reason="Ignition binary not installed (apt ignition)")
@pytest.mark.skipif(os.geteuid() != 0, reason=NOT_ROOT)
@pytest.mark.parametrize("case", _cases())
def test_ignition_writes_what_butane_describes(case: str) -> None:
    # Ignition writes SSH keys as the user, so the scratch root must be traversable
    # (pytest's own tmp dirs are private to root).
    tmp_path = Path(tempfile.mkdtemp(prefix="typhoon-ign-", dir="/tmp"))
    try:
        tmp_path.chmod(0o755)
        _check_case(case, tmp_path)
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def _check_case(case: str, tmp_path: Path) -> None:
    case_dir = CORPUS / case
    args = (case_dir / "args").read_text().split()
    files_dir = str(case_dir / args[args.index("-d") + 1]) if "-d" in args else None
    ours = translate((case_dir / "input.bu").read_text(), files_dir=files_dir)
    root = _apply(serialize(ours), tmp_path)
    expected = json.loads((case_dir / "expected.ign").read_text())
    storage = expected.get("storage", {})
    for file in storage.get("files", []):
        target = root / file["path"].lstrip("/")
        want = b""
        for res in [file.get("contents", {}), *file.get("append", [])]:
            if res.get("source"):
                want += decode_data_url(res["source"], res.get("compression"))
        assert target.read_bytes() == want, file["path"]
        assert target.stat().st_mode & 0o7777 == file.get("mode", 0o644), file["path"]
    for directory in storage.get("directories", []):
        target = root / directory["path"].lstrip("/")
        assert target.is_dir()
        assert target.stat().st_mode & 0o7777 == directory.get("mode", 0o755)
    for link in storage.get("links", []):
        target = root / link["path"].lstrip("/")
        if link.get("hard"):
            assert target.exists()
        else:
            assert os.readlink(target) == link["target"]
    for unit in expected.get("systemd", {}).get("units", []):
        unit_path = root / "etc/systemd/system" / unit["name"]
        if unit.get("mask"):
            assert os.readlink(unit_path) == "/dev/null"
        elif "contents" in unit:
            assert unit_path.read_text() == unit["contents"]
        for dropin in unit.get("dropins", []):
            dropin_path = root / "etc/systemd/system" / f"{unit['name']}.d" / dropin["name"]
            assert dropin_path.read_text() == dropin["contents"]
    for user in expected.get("passwd", {}).get("users", []):
        if user.get("sshAuthorizedKeys"):
            home = user.get("homeDir", f"/home/{user['name']}").lstrip("/")
            keys = (root / home / ".ssh/authorized_keys.d/ignition").read_text().splitlines()
            assert keys == user["sshAuthorizedKeys"]
