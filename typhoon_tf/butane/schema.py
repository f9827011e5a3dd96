"""The Butane YAML schema: every struct, its keys, their types and the feature they need.

A key whose feature the spec version lacks is simply unknown there ("Unused key"),
which is exactly how Butane reports e.g. `kernel_arguments` in fcos 1.3.0.
Types: "str", "int", "bool", ("list", T) or the name of another struct.
"""

from __future__ import annotations

from typing import TypeAlias

TypeSpec: TypeAlias = "str | tuple[str, TypeSpec]"
FieldSpec = tuple[TypeSpec, str | None]  # (type, feature or None)

STR, INT, BOOL = "str", "int", "bool"


def list_of(item: TypeSpec) -> TypeSpec:
    return ("list", item)


STR_LIST = list_of(STR)

STRUCTS: dict[str, dict[str, FieldSpec]] = {
    "Config": {
        "variant": (STR, None),
        "version": (STR, None),
        "ignition": ("Ignition", None),
        "kernel_arguments": ("KernelArguments", "kernel_arguments"),
        "passwd": ("Passwd", None),
        "storage": ("Storage", None),
        "systemd": ("Systemd", None),
        "boot_device": ("BootDevice", "boot_device"),
        "grub": ("Grub", "grub"),
    },
    "Ignition": {
        "config": ("IgnitionConfig", None),
        "timeouts": ("Timeouts", None),
        "security": ("Security", None),
        "proxy": ("Proxy", "proxy"),
    },
    "IgnitionConfig": {"merge": (list_of("Resource"), None), "replace": ("Resource", None)},
    "Resource": {
        "source": (STR, None),
        "inline": (STR, None),
        "local": (STR, "local"),
        "compression": (STR, None),
        "http_headers": (list_of("HTTPHeader"), "http_headers"),
        "verification": ("Verification", None),
    },
    "HTTPHeader": {"name": (STR, None), "value": (STR, None)},
    "Verification": {"hash": (STR, None)},
    "Security": {"tls": ("TLS", None)},
    "TLS": {"certificate_authorities": (list_of("Resource"), None)},
    "Timeouts": {"http_response_headers": (INT, None), "http_total": (INT, None)},
    "Proxy": {"http_proxy": (STR, None), "https_proxy": (STR, None), "no_proxy": (STR_LIST, None)},
    "KernelArguments": {"should_exist": (STR_LIST, None), "should_not_exist": (STR_LIST, None)},
    "Passwd": {"users": (list_of("User"), None), "groups": (list_of("Group"), None)},
    "User": {
        "name": (STR, None),
        "password_hash": (STR, None),
        "ssh_authorized_keys": (STR_LIST, None),
        "ssh_authorized_keys_local": (STR_LIST, "ssh_keys_local"),
        "uid": (INT, None),
        "gecos": (STR, None),
        "home_dir": (STR, None),
        "no_create_home": (BOOL, None),
        "primary_group": (STR, None),
        "groups": (STR_LIST, None),
        "no_user_group": (BOOL, None),
        "no_log_init": (BOOL, None),
        "shell": (STR, None),
        "should_exist": (BOOL, "should_exist"),
        "system": (BOOL, None),
    },
    "Group": {
        "name": (STR, None),
        "gid": (INT, None),
        "password_hash": (STR, None),
        "should_exist": (BOOL, "should_exist"),
        "system": (BOOL, None),
    },
    "Storage": {
        "directories": (list_of("Directory"), None),
        "disks": (list_of("Disk"), None),
        "files": (list_of("File"), None),
        "filesystems": (list_of("Filesystem"), None),
        "links": (list_of("Link"), None),
        "luks": (list_of("Luks"), "luks"),
        "raid": (list_of("Raid"), None),
        "trees": (list_of("Tree"), "trees"),
    },
    "Disk": {
        "device": (STR, None),
        "partitions": (list_of("Partition"), None),
        "wipe_table": (BOOL, None),
    },
    "Partition": {
        "guid": (STR, None),
        "label": (STR, None),
        "number": (INT, None),
        "resize": (BOOL, "resize"),
        "should_exist": (BOOL, None),
        "size_mib": (INT, None),
        "start_mib": (INT, None),
        "type_guid": (STR, None),
        "wipe_partition_entry": (BOOL, None),
    },
    "Filesystem": {
        "device": (STR, None),
        "format": (STR, None),
        "label": (STR, None),
        "mount_options": (STR_LIST, "mount_options"),
        "options": (STR_LIST, None),
        "path": (STR, None),
        "uuid": (STR, None),
        "wipe_filesystem": (BOOL, None),
        "with_mount_unit": (BOOL, "mount_units"),
    },
    "Raid": {
        "devices": (STR_LIST, None),
        "level": (STR, None),
        "name": (STR, None),
        "options": (STR_LIST, None),
        "spares": (INT, None),
    },
    "Luks": {
        "cex": ("Cex", "cex"),
        "clevis": ("Clevis", None),
        "device": (STR, None),
        "discard": (BOOL, "luks_discard"),
        "key_file": ("Resource", None),
        "label": (STR, None),
        "name": (STR, None),
        "open_options": (STR_LIST, "open_options"),
        "options": (STR_LIST, None),
        "uuid": (STR, None),
        "wipe_volume": (BOOL, None),
    },
    "Clevis": {
        "custom": ("ClevisCustom", None),
        "tang": (list_of("Tang"), None),
        "threshold": (INT, None),
        "tpm2": (BOOL, None),
    },
    "ClevisCustom": {"config": (STR, None), "needs_network": (BOOL, None), "pin": (STR, None)},
    "Tang": {
        "url": (STR, None),
        "thumbprint": (STR, None),
        "advertisement": (STR, "tang_advertisement"),
    },
    "Cex": {"enabled": (BOOL, None)},
    "File": {
        "path": (STR, None),
        "overwrite": (BOOL, None),
        "user": ("NodeUser", None),
        "group": ("NodeGroup", None),
        "mode": (INT, None),
        "contents": ("Resource", None),
        "append": (list_of("Resource"), None),
    },
    "Directory": {
        "path": (STR, None),
        "overwrite": (BOOL, None),
        "user": ("NodeUser", None),
        "group": ("NodeGroup", None),
        "mode": (INT, None),
    },
    "Link": {
        "path": (STR, None),
        "overwrite": (BOOL, None),
        "user": ("NodeUser", None),
        "group": ("NodeGroup", None),
        "target": (STR, None),
        "hard": (BOOL, None),
    },
    "NodeUser": {"id": (INT, None), "name": (STR, None)},
    "NodeGroup": {"id": (INT, None), "name": (STR, None)},
    "Tree": {"local": (STR, None), "path": (STR, None)},
    "Systemd": {"units": (list_of("Unit"), None)},
    "Unit": {
        "name": (STR, None),
        "enabled": (BOOL, None),
        "mask": (BOOL, None),
        "contents": (STR, None),
        "contents_local": (STR, "contents_local"),
        "dropins": (list_of("Dropin"), None),
    },
    "Dropin": {
        "name": (STR, None),
        "contents": (STR, None),
        "contents_local": (STR, "contents_local"),
    },
    "BootDevice": {
        "layout": (STR, None),
        "luks": ("BootDeviceLuks", None),
        "mirror": ("BootDeviceMirror", None),
    },
    "BootDeviceLuks": {
        "tang": (list_of("Tang"), None),
        "threshold": (INT, None),
        "tpm2": (BOOL, None),
        "discard": (BOOL, "boot_luks_discard"),
        "device": (STR, "boot_luks_device"),
        "cex": ("Cex", "boot_luks_cex"),
    },
    "BootDeviceMirror": {"devices": (STR_LIST, None)},
    "Grub": {"users": (list_of("GrubUser"), None)},
    "GrubUser": {"name": (STR, None), "password_hash": (STR, None)},
}
