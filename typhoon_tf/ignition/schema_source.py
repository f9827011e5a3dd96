"""The single source of the shipped JSON Schemas, one per Ignition spec version.

The spec documents (configuration-v3_N.md, spec2x configuration-v2_3.md) describe each
version as a tree of typed fields; the versions differ only by which fields exist. This
module writes that tree down once, with the version each field appeared in, and renders
one self-contained draft-04 schema per version into `schemas/ignition-<version>.json`.

Like Ignition's own schemas these carry no `additionalProperties`: unknown keys are a
*warning* in Ignition ("Unused key"), which `validate` derives by walking `properties`.
Scalars, objects, lists and list items accept JSON `null` because Ignition's Go decoder
does (null leaves the zero value). `required` lists only fields whose absence Ignition
itself rejects, so schema validity never disagrees with the real validator.

Run `python -m typhoon_tf.ignition.schema_source` to regenerate the JSON files; a test
checks the shipped files are fresh.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Schema = dict[str, Any]

SPEC3_VERSIONS = ("3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.5.0")
SPEC2_VERSIONS = ("2.3.0",)
ALL_VERSIONS = SPEC3_VERSIONS + SPEC2_VERSIONS

SCHEMA_DIR = Path(__file__).parent / "schemas"


def _nullable(kind: str) -> Schema:
    return {"type": [kind, "null"]}


STRING = _nullable("string")
INTEGER = _nullable("integer")
BOOLEAN = _nullable("boolean")


def _obj(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    schema: Schema = {"type": ["object", "null"], "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _list(items: Schema) -> Schema:
    return {"type": ["array", "null"], "items": items}


STRINGS = _list(STRING)


def _minor(version: str) -> int:
    return int(version.split(".")[1])


# --- spec 3.x -------------------------------------------------------------------------


def _resource3(minor: int, *, compression: bool, required_source: bool) -> Schema:
    props: dict[str, Schema] = {"source": STRING}
    if compression:
        props["compression"] = STRING
    if minor >= 1:
        props["httpHeaders"] = _list(_obj({"name": STRING, "value": STRING}, required=("name",)))
    props["verification"] = _obj({"hash": STRING})
    return _obj(props, required=("source",) if required_source else ())


def _owner() -> Schema:
    return _obj({"id": INTEGER, "name": STRING})


def _node3(extra: dict[str, Schema], required: tuple[str, ...] = ("path",)) -> Schema:
    props: dict[str, Schema] = {
        "path": {"type": "string"},
        "overwrite": BOOLEAN,
        "user": _owner(),
        "group": _owner(),
    }
    props.update(extra)
    return _obj(props, required=required)


def _ignition3(minor: int) -> Schema:
    # Ignition 3.0 tolerated a merge entry without a source; 3.1 made it an error.
    merge = _resource3(minor, compression=minor >= 1, required_source=minor >= 1)
    ca = _resource3(minor, compression=minor >= 1, required_source=True)
    props: dict[str, Schema] = {
        "version": {"type": "string"},
        "config": _obj(
            {
                "merge": _list(merge),
                "replace": _resource3(minor, compression=minor >= 1, required_source=False),
            }
        ),
        "timeouts": _obj({"httpResponseHeaders": INTEGER, "httpTotal": INTEGER}),
        "security": _obj({"tls": _obj({"certificateAuthorities": _list(ca)})}),
    }
    if minor >= 1:
        props["proxy"] = _obj({"httpProxy": STRING, "httpsProxy": STRING, "noProxy": STRINGS})
    return {"type": "object", "properties": props, "required": ["version"]}


def _partition3(minor: int) -> Schema:
    props: dict[str, Schema] = {
        "label": STRING,
        "number": INTEGER,
        "sizeMiB": INTEGER,
        "startMiB": INTEGER,
        "typeGuid": STRING,
        "guid": STRING,
        "wipePartitionEntry": BOOLEAN,
        "shouldExist": BOOLEAN,
    }
    if minor >= 2:
        props["resize"] = BOOLEAN
    return _obj(props)


def _filesystem3(minor: int) -> Schema:
    props: dict[str, Schema] = {
        "device": {"type": "string"},
        "format": STRING,
        "path": STRING,
        "wipeFilesystem": BOOLEAN,
        "label": STRING,
        "uuid": STRING,
        "options": STRINGS,
    }
    if minor >= 1:
        props["mountOptions"] = STRINGS
    return _obj(props, required=("device",))


def _luks3(minor: int) -> Schema:
    tang: dict[str, Schema] = {"url": {"type": "string"}, "thumbprint": {"type": "string"}}
    if minor >= 4:
        tang["advertisement"] = STRING
    clevis = _obj(
        {
            "tang": _list(_obj(tang, required=("url", "thumbprint"))),
            "tpm2": BOOLEAN,
            "threshold": INTEGER,
            "custom": _obj({"pin": STRING, "config": STRING, "needsNetwork": BOOLEAN}),
        }
    )
    props: dict[str, Schema] = {
        "name": STRING,
        "device": {"type": "string"},
        "keyFile": _resource3(minor, compression=True, required_source=False),
        "label": STRING,
        "uuid": STRING,
        "options": STRINGS,
        "wipeVolume": BOOLEAN,
        "clevis": clevis,
    }
    if minor >= 4:
        props["discard"] = BOOLEAN
        props["openOptions"] = STRINGS
    if minor >= 5:
        props["cex"] = _obj({"enabled": BOOLEAN})
    return _obj(props, required=("device",))


def _storage3(minor: int) -> Schema:
    file_resource = _resource3(minor, compression=True, required_source=False)
    props: dict[str, Schema] = {
        "disks": _list(
            _obj(
                {
                    "device": {"type": "string"},
                    "wipeTable": BOOLEAN,
                    "partitions": _list(_partition3(minor)),
                },
                required=("device",),
            )
        ),
        "raid": _list(
            _obj(
                {
                    "name": STRING,
                    "level": {"type": "string"},
                    "devices": {"type": "array", "items": STRING},
                    "spares": INTEGER,
                    "options": STRINGS,
                },
                required=("level", "devices"),
            )
        ),
        "filesystems": _list(_filesystem3(minor)),
        "files": _list(
            _node3({"contents": file_resource, "append": _list(file_resource), "mode": INTEGER})
        ),
        "directories": _list(_node3({"mode": INTEGER})),
        # A link without a target is an error from 3.3 on; older versions let it through.
        "links": _list(
            _node3(
                {"target": {"type": "string"} if minor >= 3 else STRING, "hard": BOOLEAN},
                required=("path", "target") if minor >= 3 else ("path",),
            )
        ),
    }
    if minor >= 2:
        props["luks"] = _list(_luks3(minor))
    return _obj(props)


def _systemd(*, deprecated_enable: bool) -> Schema:
    unit: dict[str, Schema] = {
        "name": {"type": "string"},
        "enabled": BOOLEAN,
        "mask": BOOLEAN,
        "contents": STRING,
        "dropins": _list(_obj({"name": {"type": "string"}, "contents": STRING}, ("name",))),
    }
    if deprecated_enable:
        unit["enable"] = BOOLEAN
    return _obj({"units": _list(_obj(unit, required=("name",)))})


def _user_fields() -> dict[str, Schema]:
    return {
        "uid": INTEGER,
        "gecos": STRING,
        "homeDir": STRING,
        "noCreateHome": BOOLEAN,
        "primaryGroup": STRING,
        "groups": STRINGS,
        "noUserGroup": BOOLEAN,
        "noLogInit": BOOLEAN,
        "shell": STRING,
        "system": BOOLEAN,
    }


def _passwd3(minor: int) -> Schema:
    user: dict[str, Schema] = {"name": STRING, "passwordHash": STRING, "sshAuthorizedKeys": STRINGS}
    user.update(_user_fields())
    group: dict[str, Schema] = {
        "name": STRING,
        "gid": INTEGER,
        "passwordHash": STRING,
        "system": BOOLEAN,
    }
    if minor >= 2:
        user["shouldExist"] = BOOLEAN
        group["shouldExist"] = BOOLEAN
    return _obj({"users": _list(_obj(user)), "groups": _list(_obj(group))})


def spec3_schema(version: str) -> Schema:
    minor = _minor(version)
    props: dict[str, Schema] = {
        "ignition": _ignition3(minor),
        "storage": _storage3(minor),
        "systemd": _systemd(deprecated_enable=False),
        "passwd": _passwd3(minor),
    }
    if minor >= 3:
        props["kernelArguments"] = _obj({"shouldExist": STRINGS, "shouldNotExist": STRINGS})
    return _document(version, props)


# --- spec 2.3 -------------------------------------------------------------------------


def _resource2(*, required_source: bool, compression: bool) -> Schema:
    props: dict[str, Schema] = {"source": STRING}
    if compression:
        props["compression"] = STRING
    props["verification"] = _obj({"hash": STRING})
    return _obj(props, required=("source",) if required_source else ())


def _node2(extra: dict[str, Schema], required: tuple[str, ...] = ("filesystem", "path")) -> Schema:
    props: dict[str, Schema] = {
        "filesystem": {"type": "string"},
        "path": {"type": "string"},
        "overwrite": BOOLEAN,
        "user": _owner(),
        "group": _owner(),
    }
    props.update(extra)
    return _obj(props, required=required)


def spec2_schema(version: str) -> Schema:
    config_resource = _resource2(required_source=True, compression=False)
    ignition: Schema = {
        "type": "object",
        "properties": {
            "version": {"type": "string"},
            "config": _obj(
                {
                    "append": _list(config_resource),
                    "replace": _resource2(required_source=False, compression=False),
                }
            ),
            "timeouts": _obj({"httpResponseHeaders": INTEGER, "httpTotal": INTEGER}),
            "security": _obj({"tls": _obj({"certificateAuthorities": _list(config_resource)})}),
        },
        "required": ["version"],
    }
    partition = _obj(
        {
            "label": STRING,
            "number": INTEGER,
            "sizeMiB": INTEGER,
            "startMiB": INTEGER,
            "size": INTEGER,
            "start": INTEGER,
            "typeGuid": STRING,
            "guid": STRING,
            "wipePartitionEntry": BOOLEAN,
            "shouldExist": BOOLEAN,
        }
    )
    mount = _obj(
        {
            "device": {"type": "string"},
            "format": {"type": "string"},
            "wipeFilesystem": BOOLEAN,
            "label": STRING,
            "uuid": STRING,
            "options": STRINGS,
            "create": _obj({"force": BOOLEAN, "options": STRINGS}),
        },
        required=("device", "format"),
    )
    storage = _obj(
        {
            "disks": _list(
                _obj(
                    {
                        "device": {"type": "string"},
                        "wipeTable": BOOLEAN,
                        "partitions": _list(partition),
                    },
                    required=("device",),
                )
            ),
            "raid": _list(
                _obj(
                    {
                        "name": {"type": "string"},
                        "level": {"type": "string"},
                        "devices": {"type": "array", "items": STRING},
                        "spares": INTEGER,
                        "options": STRINGS,
                    },
                    required=("name", "level", "devices"),
                )
            ),
            "filesystems": _list(_obj({"name": STRING, "mount": mount, "path": STRING})),
            "files": _list(
                _node2(
                    {
                        "append": BOOLEAN,
                        "contents": _resource2(required_source=False, compression=True),
                        "mode": INTEGER,
                    }
                )
            ),
            "directories": _list(_node2({"mode": INTEGER})),
            "links": _list(
                _node2(
                    {"target": {"type": "string"}, "hard": BOOLEAN},
                    required=("filesystem", "path", "target"),
                )
            ),
        }
    )
    user: dict[str, Schema] = {"name": {"type": "string"}, "passwordHash": STRING}
    user["sshAuthorizedKeys"] = STRINGS
    user.update(_user_fields())
    create = {k: v for k, v in _user_fields().items()}
    user["create"] = _obj(create)
    passwd = _obj(
        {
            "users": _list(_obj(user, required=("name",))),
            "groups": _list(
                _obj(
                    {
                        "name": {"type": "string"},
                        "gid": INTEGER,
                        "passwordHash": STRING,
                        "system": BOOLEAN,
                    },
                    required=("name",),
                )
            ),
        }
    )
    networkd = _obj(
        {
            "units": _list(
                _obj(
                    {
                        "name": {"type": "string"},
                        "contents": STRING,
                        "dropins": _list(
                            _obj({"name": {"type": "string"}, "contents": STRING}, ("name",))
                        ),
                    },
                    required=("name",),
                )
            )
        }
    )
    props: dict[str, Schema] = {
        "ignition": ignition,
        "storage": storage,
        "systemd": _systemd(deprecated_enable=True),
        "networkd": networkd,
        "passwd": passwd,
    }
    return _document(version, props)


def _document(version: str, props: dict[str, Schema]) -> Schema:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": f"Ignition config, spec {version}",
        "description": "Written by typhoon-tf from the Ignition spec documentation. Unknown "
        "keys are allowed (Ignition warns about them); semantic rules live in validate.py.",
        "type": "object",
        "properties": props,
        "required": ["ignition"],
    }


def build_schema(version: str) -> Schema:
    if version in SPEC3_VERSIONS:
        return spec3_schema(version)
    if version in SPEC2_VERSIONS:
        return spec2_schema(version)
    raise ValueError(f"no schema for Ignition spec {version}")


def schema_path(version: str) -> Path:
    return SCHEMA_DIR / f"ignition-{version}.json"


def render(version: str) -> str:
    return json.dumps(build_schema(version), indent=2) + "\n"


def write_all() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for version in ALL_VERSIONS:
        schema_path(version).write_text(render(version))


if __name__ == "__main__":
    write_all()
