"""fcos sugar: `boot_device` (root mirroring / LUKS) and `grub.users`, rendered to Ignition.

Both render a separate config that the user's translated config is merged on top of.
Partition sizes, type GUIDs and labels follow Fedora CoreOS's disk layout.
"""

from __future__ import annotations

from typing import Any

from typhoon_tf.butane.capabilities import Spec
from typhoon_tf.butane.decode import Obj
from typhoon_tf.butane.igntypes import ORDER
from typhoon_tf.butane.translate import Translator, encode_contents

_BIOS_GUID = "21686148-6449-6E6F-744E-656564454649"
_ESP_GUID = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
_PREP_GUID = "9E1A2D38-C612-4316-AA26-8B49521E5A8B"
_RESERVED_GUID = "8DA63339-0007-60C0-C436-083AC8230908"
_BIOS_MIB, _ESP_MIB, _PREP_MIB, _RESERVED_MIB, _BOOT_MIB = 1, 127, 4, 1, 384

# Each mirrored disk starts with two firmware slots, then boot and root. Butane keeps
# the slots' offsets identical on every layout (the BIOS/PReP partition must sit where
# the shipped image has it), filling an unused slot with a 1 MiB "reserved" partition.
_SLOTS = {
    "bios": (_BIOS_MIB, _BIOS_GUID),
    "prep": (_PREP_MIB, _PREP_GUID),
    "reserved": (_RESERVED_MIB, _RESERVED_GUID),
    "esp": (_ESP_MIB, _ESP_GUID),
}
_MIRROR_SLOTS = {
    "x86_64": ("bios", "esp"),
    "aarch64": ("reserved", "esp"),
    "ppc64le": ("prep", "reserved"),
}
# s390x whole-disk devices: which partition number holds root.
_S390X_ROOT_PARTITION = {"s390x-eckd": "2", "s390x-zfcp": "4"}


def wants_luks(luks: Obj | None) -> bool:
    if luks is None:
        return False
    cex = luks.obj("cex")
    return bool(luks.get("tpm2") or luks.objs("tang") or (cex and cex.get("enabled")))


def render_boot_device(boot: Obj, translator: Translator) -> dict[str, Any] | None:
    luks = boot.obj("luks")
    mirror = boot.obj("mirror")
    devices: list[str] = list(mirror.get("devices") or []) if mirror else []
    want_luks = wants_luks(luks)
    if not want_luks and not devices:
        return None
    layout: str = boot.get("layout") or "x86_64"
    storage: dict[str, Any] = {}
    filesystems: list[dict[str, Any]] = []
    if devices:
        disks = [_mirror_disk(dev, i + 1, layout) for i, dev in enumerate(devices)]
        storage["disks"] = disks
        if layout in ("x86_64", "aarch64"):
            filesystems += [
                _fs(f"/dev/disk/by-partlabel/esp-{i}", "vfat", f"esp-{i}")
                for i in range(1, len(devices) + 1)
            ]
        storage["raid"] = [
            {
                "devices": [f"/dev/disk/by-partlabel/boot-{i}" for i in range(1, len(devices) + 1)],
                "level": "raid1",
                "name": "md-boot",
                # superblock at the end so firmware/GRUB can read the members as plain fs
                "options": ["--metadata=1.0"],
            },
            {
                "devices": [f"/dev/disk/by-partlabel/root-{i}" for i in range(1, len(devices) + 1)],
                "level": "raid1",
                "name": "md-root",
            },
        ]
        filesystems.append(_fs("/dev/md/md-boot", "ext4", "boot"))
    if want_luks and luks is not None:
        storage["luks"] = [_root_luks(luks, layout, bool(devices), translator)]
        filesystems.append(_fs("/dev/mapper/root", "xfs", "root"))
    elif devices:
        filesystems.append(_fs("/dev/md/md-root", "xfs", "root"))
    storage["filesystems"] = filesystems
    storage = {key: storage[key] for key in ORDER["Storage"] if key in storage}
    rendered = {"ignition": {"version": translator.spec.ignition_version}, "storage": storage}
    _register(rendered, boot, translator)
    return rendered


def _mirror_disk(device: str, n: int, layout: str) -> dict[str, Any]:
    parts = [_slot_partition(slot, n) for slot in _MIRROR_SLOTS[layout]]
    parts.append({"label": f"boot-{n}", "sizeMiB": _BOOT_MIB})
    parts.append({"label": f"root-{n}"})
    return {"device": device, "partitions": parts, "wipeTable": True}


def _slot_partition(slot: str, n: int) -> dict[str, Any]:
    size, guid = _SLOTS[slot]
    return {"label": f"{slot}-{n}", "sizeMiB": size, "typeGuid": guid}


def _fs(device: str, fmt: str, label: str) -> dict[str, Any]:
    return {"device": device, "format": fmt, "label": label, "wipeFilesystem": True}


def _root_luks(luks: Obj, layout: str, mirrored: bool, translator: Translator) -> dict[str, Any]:
    if mirrored:
        device = "/dev/md/md-root"
    elif layout in _S390X_ROOT_PARTITION and luks.get("device"):
        device = luks.get("device") + _S390X_ROOT_PARTITION[layout]
    else:
        device = "/dev/disk/by-partlabel/root"
    out: dict[str, Any] = {}
    cex = luks.obj("cex")
    if cex is not None and cex.get("enabled"):
        out["cex"] = {"enabled": True}
    clevis: dict[str, Any] = {}
    tang = [translator.struct(t, "Tang") for t in luks.objs("tang")]
    if tang:
        clevis["tang"] = tang
    if luks.has("threshold"):
        clevis["threshold"] = luks.get("threshold")
    if luks.has("tpm2"):
        clevis["tpm2"] = luks.get("tpm2")
    if clevis:
        out["clevis"] = clevis
    out["device"] = device
    if luks.has("discard"):
        out["discard"] = luks.get("discard")
    out.update({"label": "luks-root", "name": "root", "wipeVolume": True})
    return out


def grub_config_text(users: list[Obj]) -> str:
    names = [u.get("name", "") for u in users]
    commands = [f"password_pbkdf2 {u.get('name', '')} {u.get('password_hash', '')}" for u in users]
    superusers = 'set superusers="' + " ".join(names) + '"\n'
    return "# Generated by Butane\n\n" + superusers + "\n".join(commands) + "\n"


def render_grub(grub: Obj, translator: Translator, spec: Spec) -> dict[str, Any] | None:
    users = grub.objs("users")
    if not users:
        return None
    source, compression = encode_contents(grub_config_text(users).encode(), None, spec)
    resource: dict[str, Any] = {"compression": compression, "source": source}
    rendered = {
        "ignition": {"version": spec.ignition_version},
        "storage": {
            "files": [{"path": "/boot/grub2/user.cfg", "append": [resource]}],
            "filesystems": [
                {"device": "/dev/disk/by-label/boot", "format": "ext4", "path": "/boot"}
            ],
        },
    }
    _register(rendered, grub, translator)
    return rendered


def _register(value: Any, obj: Obj, translator: Translator) -> None:
    """Blame generated entries on the sugar that produced them."""
    if isinstance(value, dict):
        if translator.origins.get(value) is None:
            translator.origins.add(value, obj, "")
        for child in value.values():
            _register(child, obj, translator)
    elif isinstance(value, list):
        for child in value:
            _register(child, obj, translator)
