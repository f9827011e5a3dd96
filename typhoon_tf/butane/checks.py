"""Butane's own checks on the decoded YAML, before translation.

Errors (several content sources, mount units without a path, clevis on Flatcar, ...)
raise at once; warnings (a mode that only makes sense in octal, odd fcos partition
labels) are collected and become errors under --strict.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from typhoon_tf.butane.capabilities import LAYOUTS, S390X_LAYOUTS, Spec
from typhoon_tf.butane.decode import Obj
from typhoon_tf.butane.report import Report

DECIMAL_MODE = (
    "unreasonable mode would be reasonable if specified in octal; remember to add a leading zero"
)
# fcos reserves these partition labels for fixed partition numbers.
_RESERVED_LABELS = {"BIOS-BOOT": 1, "PowerPC-PReP-boot": 1, "EFI-SYSTEM": 2, "boot": 3, "root": 4}
_BOOT_DISK = "/dev/disk/by-id/coreos-boot-disk"
UNKNOWN_LAYOUT = (
    "layout must be one of: aarch64, ppc64le, s390x-eckd, s390x-virt, s390x-zfcp, x86_64"
)
_S390X_LUKS_DEVICE = {
    "s390x-eckd": re.compile(r"/dev/dasd[a-z]\Z"),
    "s390x-zfcp": re.compile(r"/dev/sd[a-z]\Z"),
}
_MOUNT_UNIT_PATHS = re.compile(r"/(etc|var)(/|\Z)")


def check_source(root: Obj, spec: Spec, report: Report) -> None:
    for resource in _resources(root):
        _check_resource(resource, report)
    storage = root.obj("storage")
    if storage is not None:
        _check_storage(storage, spec, report)
    systemd = root.obj("systemd")
    for unit in systemd.objs("units") if systemd else []:
        _check_one_contents(unit, report)
        for dropin in unit.objs("dropins"):
            _check_one_contents(dropin, report)
    boot = root.obj("boot_device")
    if boot is not None:
        _check_boot_device(boot, spec, report)
    grub = root.obj("grub")
    for user in grub.objs("users") if grub else []:
        for key in ("name", "password_hash"):
            if not user.get(key):
                raise report.fail("field is required", user.path + (key,), user.mark)


def _resources(root: Obj) -> Iterator[Obj]:
    ignition = root.obj("ignition")
    if ignition is not None:
        config = ignition.obj("config")
        if config is not None:
            yield from config.objs("merge")
            replace = config.obj("replace")
            if replace is not None:
                yield replace
        security = ignition.obj("security")
        tls = security.obj("tls") if security else None
        if tls is not None:
            yield from tls.objs("certificate_authorities")
    storage = root.obj("storage")
    if storage is not None:
        for file in storage.objs("files"):
            contents = file.obj("contents")
            if contents is not None:
                yield contents
            yield from file.objs("append")
        for luks in storage.objs("luks"):
            key_file = luks.obj("key_file")
            if key_file is not None:
                yield key_file


def _check_resource(resource: Obj, report: Report) -> None:
    present = [key for key in ("local", "inline", "source") if resource.has(key)]
    if len(present) > 1:
        path, mark = resource.where(present[-1])
        raise report.fail("only one of the following can be set: inline, local, source", path, mark)


def _check_one_contents(obj: Obj, report: Report) -> None:
    if obj.has("contents") and obj.has("contents_local"):
        path, mark = obj.where("contents_local")
        raise report.fail(
            "only one of the following can be set: contents, contents_local", path, mark
        )


def _check_storage(storage: Obj, spec: Spec, report: Report) -> None:
    for key, directory in (("files", False), ("directories", True)):
        for node in storage.objs(key):
            if node.has("mode") and is_decimal_mode(node.get("mode"), directory):
                path, mark = node.where("mode")
                report.warn(DECIMAL_MODE, path, mark)
    for fs in storage.objs("filesystems"):
        if not fs.get("with_mount_unit"):
            continue
        if not fs.get("format"):
            path, mark = fs.where("format")
            raise report.fail("format is required if with_mount_unit is true", path, mark)
        swap_ok = spec.has("swap_units") and fs.get("format") == "swap"
        if not fs.get("path") and not swap_ok:
            path, mark = fs.where("path")
            raise report.fail(
                "path is required if with_mount_unit is true and format is not swap", path, mark
            )
    for tree in storage.objs("trees"):
        if not tree.get("local"):
            path, mark = tree.where("local")
            raise report.fail("field is required", path, mark)
    if spec.has("no_clevis"):
        for luks in storage.objs("luks"):
            clevis = luks.obj("clevis")
            if clevis is not None and clevis.values:
                path, mark = luks.where("clevis")
                raise report.fail("clevis is not supported in this spec version", path, mark)
    if spec.has("fcos_checks"):
        _check_fcos_partitions(storage, report)
    if spec.has("fcos16_checks"):
        _check_fcos16_storage(storage, report)


def _check_fcos16_storage(storage: Obj, report: Report) -> None:
    for disk in storage.objs("disks"):
        if disk.get("device") == _BOOT_DISK or disk.get("wipe_table"):
            continue
        for part in disk.objs("partitions"):
            if not part.get("number") and part.has("label"):
                path, mark = part.where("number")
                report.warn(
                    "partitions cannot be reused by label; number must be specified except on "
                    "boot disk (/dev/disk/by-id/coreos-boot-disk) or when wipe_table is true",
                    path,
                    mark,
                )
    for fs in storage.objs("filesystems"):
        mount_path = fs.get("path")
        forbidden = mount_path is not None and not _MOUNT_UNIT_PATHS.match(mount_path)
        if fs.get("with_mount_unit") and forbidden:
            path, mark = fs.where("path")
            raise report.fail(
                "path must be under /etc or /var if with_mount_unit is true", path, mark
            )


def _check_fcos_partitions(storage: Obj, report: Report) -> None:
    for disk in storage.objs("disks"):
        if disk.get("wipe_table"):
            continue  # a wiped table cannot collide with the shipped layout
        for part in disk.objs("partitions"):
            label = part.get("label")
            if label in _RESERVED_LABELS and part.get("number", 0) != _RESERVED_LABELS[label]:
                path, mark = part.where("label")
                report.warn(
                    "incorrect partition number; a new partition will be created using "
                    "reserved label " + label,
                    path,
                    mark,
                )


def _check_boot_device(boot: Obj, spec: Spec, report: Report) -> None:
    layout = boot.get("layout")
    allowed = LAYOUTS + (S390X_LAYOUTS if spec.has("s390x_layouts") else ())
    if layout is not None and layout not in allowed:
        path, mark = boot.where("layout")
        raise report.fail(UNKNOWN_LAYOUT, path, mark)
    mirror = boot.obj("mirror")
    devices = mirror.get("devices") or [] if mirror else []
    if len(devices) == 1 and mirror is not None:
        path, mark = mirror.where("devices")
        raise report.fail("mirroring requires at least two devices", path, mark)
    if devices and layout in S390X_LAYOUTS:
        path, mark = boot.where("layout")
        raise report.fail(
            "mirroring not supported on layouts: s390x-eckd, s390x-zfcp, s390x-virt", path, mark
        )
    luks = boot.obj("luks")
    if spec.has("fcos16_checks"):
        _check_s390x_luks(boot, luks, layout, report)


def _check_s390x_luks(boot: Obj, luks: Obj | None, layout: str | None, report: Report) -> None:
    """fcos 1.6: s390x disk-type layouts name the LUKS device; CEX needs s390x and no clevis."""
    device = luks.get("device") if luks else None
    pattern = _S390X_LUKS_DEVICE.get(layout or "")
    if pattern is not None:
        path, mark = boot.where("layout")
        if not device:
            raise report.fail("device is required for layouts: s390x-eckd, s390x-zfcp", path, mark)
        if not pattern.search(device):
            raise report.fail(
                "device name must start with /dev/dasd on s390x-eckd layout or /dev/sd on "
                "s390x-zfcp layout",
                path,
                mark,
            )
    cex = luks.obj("cex") if luks else None
    if luks is None or not (cex and cex.get("enabled")):
        return
    if layout is None or not layout.startswith("s390x"):
        path, mark = boot.where("layout") if layout else cex.where("enabled")
        raise report.fail("when using cex the targeted architecture must match s390x", path, mark)
    if luks.get("tpm2") or luks.objs("tang"):
        raise report.fail("cannot use cex with clevis", luks.path, luks.mark)


def is_decimal_mode(mode: int, directory: bool) -> bool:
    """True if `mode` looks like octal digits written as a decimal number (e.g. 644)."""
    octal = _decimal_digits_as_octal(mode)
    if octal is None:
        return False
    return not _is_typical_mode(mode, directory) and _is_typical_mode(octal, directory)


def _decimal_digits_as_octal(mode: int) -> int | None:
    if mode < 0 or mode > 7777:
        return None
    digits = str(mode)
    if any(d > "7" for d in digits):
        return None
    return int(digits, 8)


def _is_typical_mode(mode: int, directory: bool) -> bool:
    if mode & 0o7000:
        return False  # setuid/setgid/sticky are deliberate, never the usual case
    user, group, other = (mode >> 6) & 7, (mode >> 3) & 7, mode & 7
    if user == 0:
        return False  # the owner can do nothing
    if (group | other) & ~user:
        return False  # group/other may do something the owner may not
    if other & ~group:
        return False  # other may do something the group may not
    return not (directory and user & 4 and not user & 1)  # readable dir the owner can't enter
