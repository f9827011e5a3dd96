"""Ignition 3.x output types: key order (Go struct order) and how each key maps from YAML.

Butane marshals Ignition's Go structs, so keys come out in struct field order (embedded
`Node` fields first), which is *not* alphabetical by JSON name: `sshAuthorizedKeys`
precedes `shell`, and a file is `group, overwrite, path, user, append, contents, mode`.
One table for all 3.x versions: fields a version lacks simply never get a value.
"""

from __future__ import annotations

import re

# itype -> ordered (json key, sub-type or None for scalars / lists of scalars)
_FIELDS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "Config": (
        ("ignition", "Ignition"),
        ("kernelArguments", "KernelArguments"),
        ("passwd", "Passwd"),
        ("storage", "Storage"),
        ("systemd", "Systemd"),
    ),
    "Ignition": (
        ("config", "IgnitionConfig"),
        ("proxy", "Proxy"),
        ("security", "Security"),
        ("timeouts", "Timeouts"),
        ("version", None),
    ),
    "IgnitionConfig": (("merge", "Resource"), ("replace", "Resource")),
    "Resource": (
        ("compression", None),
        ("httpHeaders", "HTTPHeader"),
        ("source", None),
        ("verification", "Verification"),
    ),
    "HTTPHeader": (("name", None), ("value", None)),
    "Verification": (("hash", None),),
    "Proxy": (("httpProxy", None), ("httpsProxy", None), ("noProxy", None)),
    "Security": (("tls", "TLS"),),
    "TLS": (("certificateAuthorities", "Resource"),),
    "Timeouts": (("httpResponseHeaders", None), ("httpTotal", None)),
    "KernelArguments": (("shouldExist", None), ("shouldNotExist", None)),
    "Passwd": (("groups", "Group"), ("users", "User")),
    "Group": (
        ("gid", None),
        ("name", None),
        ("passwordHash", None),
        ("shouldExist", None),
        ("system", None),
    ),
    "User": (
        ("gecos", None),
        ("groups", None),
        ("homeDir", None),
        ("name", None),
        ("noCreateHome", None),
        ("noLogInit", None),
        ("noUserGroup", None),
        ("passwordHash", None),
        ("primaryGroup", None),
        ("sshAuthorizedKeys", None),
        ("shell", None),
        ("shouldExist", None),
        ("system", None),
        ("uid", None),
    ),
    "Storage": (
        ("directories", "Directory"),
        ("disks", "Disk"),
        ("files", "File"),
        ("filesystems", "Filesystem"),
        ("links", "Link"),
        ("luks", "Luks"),
        ("raid", "Raid"),
    ),
    "Disk": (("device", None), ("partitions", "Partition"), ("wipeTable", None)),
    "Partition": (
        ("guid", None),
        ("label", None),
        ("number", None),
        ("resize", None),
        ("shouldExist", None),
        ("sizeMiB", None),
        ("startMiB", None),
        ("typeGuid", None),
        ("wipePartitionEntry", None),
    ),
    "Filesystem": (
        ("device", None),
        ("format", None),
        ("label", None),
        ("mountOptions", None),
        ("options", None),
        ("path", None),
        ("uuid", None),
        ("wipeFilesystem", None),
    ),
    "Raid": (
        ("devices", None),
        ("level", None),
        ("name", None),
        ("options", None),
        ("spares", None),
    ),
    "Luks": (
        ("cex", "Cex"),
        ("clevis", "Clevis"),
        ("device", None),
        ("discard", None),
        ("keyFile", "Resource"),
        ("label", None),
        ("name", None),
        ("openOptions", None),
        ("options", None),
        ("uuid", None),
        ("wipeVolume", None),
    ),
    "Clevis": (("custom", "ClevisCustom"), ("tang", "Tang"), ("threshold", None), ("tpm2", None)),
    "ClevisCustom": (("config", None), ("needsNetwork", None), ("pin", None)),
    "Tang": (("advertisement", None), ("thumbprint", None), ("url", None)),
    "Cex": (("enabled", None),),
    "File": (
        ("group", "NodeGroup"),
        ("overwrite", None),
        ("path", None),
        ("user", "NodeUser"),
        ("append", "Resource"),
        ("contents", "Resource"),
        ("mode", None),
    ),
    "Directory": (
        ("group", "NodeGroup"),
        ("overwrite", None),
        ("path", None),
        ("user", "NodeUser"),
        ("mode", None),
    ),
    "Link": (
        ("group", "NodeGroup"),
        ("overwrite", None),
        ("path", None),
        ("user", "NodeUser"),
        ("hard", None),
        ("target", None),
    ),
    "NodeUser": (("id", None), ("name", None)),
    "NodeGroup": (("id", None), ("name", None)),
    "Systemd": (("units", "Unit"),),
    "Unit": (
        ("contents", None),
        ("dropins", "Dropin"),
        ("enabled", None),
        ("mask", None),
        ("name", None),
    ),
    "Dropin": (("contents", None), ("name", None)),
}

# Go `string` fields without omitempty: always emitted, "" when unset.
REQUIRED_STRINGS: dict[str, str] = {
    "File": "path",
    "Directory": "path",
    "Link": "path",
    "Disk": "device",
    "Filesystem": "device",
    "Raid": "name",
    "Luks": "name",
    "User": "name",
    "Group": "name",
    "Unit": "name",
    "Dropin": "name",
    "HTTPHeader": "name",
    "Tang": "url",
}
# Go `int` with omitempty (not a pointer): 0 is dropped.
OMIT_ZERO_INTS: dict[str, str] = {"Partition": "number"}


def _snake(json_key: str) -> str:
    return re.sub(r"([A-Z])", r"_\1", json_key.replace("MiB", "Mib")).lower()


# itype -> ordered (json key, yaml key, sub-type)
FIELDS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    itype: tuple((jkey, _snake(jkey), sub) for jkey, sub in fields)
    for itype, fields in _FIELDS.items()
}
ORDER: dict[str, tuple[str, ...]] = {
    itype: tuple(jkey for jkey, _ in fields) for itype, fields in _FIELDS.items()
}
SUBTYPES: dict[tuple[str, str], str] = {
    (itype, jkey): sub for itype, fields in _FIELDS.items() for jkey, sub in fields if sub
}
YAML_KEYS: dict[tuple[str, str], str] = {
    (itype, jkey): ykey for itype, fields in FIELDS.items() for jkey, ykey, _ in fields
}
