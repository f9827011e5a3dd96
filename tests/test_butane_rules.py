"""Focused rules of the transpiler beyond the corpus: encodings, YAML semantics, strict
mode, local files, sugar merging, error locations."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import random
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from typhoon_tf.butane import serialize, translate, translate_with_warnings
from typhoon_tf.errors import UserError
from typhoon_tf.ignition.dataurl import decode_data_url, go_gzip, make_data_url

HEADER = "variant: fcos\nversion: {v}\n"


def bu(body: str, version: str = "1.5.0") -> str:
    return HEADER.format(v=version) + body


def files_of(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in config["storage"]["files"]}


def decoded(resource: Mapping[str, Any]) -> bytes:
    return decode_data_url(resource["source"], resource.get("compression"))


# -- data URLs ---------------------------------------------------------------------------


def _reference_choice(data: bytes) -> str:
    """Butane's rule spelled out plainly: shortest of percent/base64, ties to percent."""
    pct = "," + quote(data, safe="!'()*~-_.")
    b64 = ";base64," + base64.b64encode(data).decode()
    return "data:" + (b64 if len(b64) < len(pct) else pct)


def test_data_url_choice_matches_reference_rule() -> None:
    rng = random.Random(7)
    alphabet = b"abc/=% \n#<>&\x00\xff\xc3\xa9-_.!~*'()"
    for _ in range(2000):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert make_data_url(data, allow_gzip=False).source == _reference_choice(data)
        url = make_data_url(data)
        assert decode_data_url(url.source, url.compression) == data


def test_gzip_is_go_framed_and_only_wins_by_more_than_four_chars() -> None:
    payload = b"server pool.example.org iburst\n" * 20
    blob = go_gzip(payload)
    assert blob[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # Go's header
    assert gzip.decompress(blob) == payload
    url = make_data_url(payload)
    assert url.compression == "gzip"
    assert len(url.source) + 4 < len(make_data_url(payload, allow_gzip=False).source)
    assert make_data_url(b"a" * 47).compression == ""  # the corpus boundary
    assert make_data_url(b"").source == "data:,"


def test_decode_data_url_rejects_garbage() -> None:
    for bad in ("data:,a b", "data:;base64,@@@", "data:text/plain", "http://x"):
        with pytest.raises(UserError):
            decode_data_url(bad)
    with pytest.raises(UserError):
        decode_data_url("data:,notgzip", "gzip")
    assert decode_data_url("data:text/plain;charset=utf-8;base64,aGk=") == b"hi"


def test_fcos_1_0_always_percent_encodes_without_compression_key() -> None:
    config = translate(
        bu(
            "storage:\n  files:\n    - path: /a\n      contents:\n        inline: " + "x" * 500,
            "1.0.0",
        )
    )
    contents = files_of(config)["/a"]["contents"]
    assert contents == {"source": "data:," + "x" * 500}


def test_user_compression_means_already_compressed() -> None:
    body = "storage:\n  files:\n    - path: /a\n      contents:\n        compression: gzip\n"
    body += "        inline: " + "y" * 300 + "\n"
    contents = files_of(translate(bu(body)))["/a"]["contents"]
    assert contents["compression"] == "gzip"
    assert contents["source"] == "data:," + "y" * 300  # no double compression


# -- JSON ---------------------------------------------------------------------------------


def test_go_json_escaping() -> None:
    text = serialize({"a": "<>&\u2028\u2029\b\f\\b\t\x01é"})
    assert text == '{"a":"\\u003c\\u003e\\u0026\\u2028\\u2029\\u0008\\u000c\\\\b\\t\\u0001é"}'
    assert json.loads(text) == {"a": "<>&\u2028\u2029\b\f\\b\t\x01é"}


def test_key_order_is_go_struct_order() -> None:
    body = """storage:
  files:
    - mode: 0600
      contents: {source: "https://x/y"}
      append: [{inline: z}]
      user: {name: core}
      path: /etc/z
      overwrite: true
      group: {id: 0}
passwd:
  users:
    - shell: /bin/sh
      ssh_authorized_keys: [k]
      name: n
"""
    text = serialize(translate(bu(body)))
    assert text.index('"group"') < text.index('"overwrite"') < text.index('"path"')
    assert text.index('"user"') < text.index('"append"') < text.index('"contents"')
    assert text.index('"contents"') < text.index('"mode"')
    assert text.index('"sshAuthorizedKeys"') < text.index('"shell"')


# -- YAML semantics (yaml.v3, not YAML 1.1) ---------------------------------------------------


def test_yaml_scalars_follow_yaml_v3() -> None:
    body = """storage:
  files:
    - path: /a
      mode: 0o640
      overwrite: yes
      contents: {source: "https://x/a"}
    - path: /b
      mode: 0x1ed
      contents: {inline: on}
    - path: /c
      mode: 0_644
systemd:
  units:
    - name: x.service
      mask: "Yes"
"""
    config = translate(bu(body))
    files = files_of(config)
    assert files["/a"]["mode"] == 0o640 and files["/a"]["overwrite"] is True
    assert files["/b"]["mode"] == 0o755 and decoded(files["/b"]["contents"]) == b"on"
    assert files["/c"]["mode"] == 0o644
    assert config["systemd"]["units"][0]["mask"] is True


@pytest.mark.parametrize(
    ("body", "fragment", "line"),
    [
        ("storage:\n  files:\n    - path: /a\n      mode: '0644'\n", "into int", 4),
        ("systemd:\n  units:\n    - name: a.service\n      mask: maybe\n", "into bool", 4),
        ("storage:\n  files: {path: /a}\n", "into list", 2),
        ("storage:\n  files:\n    - path: [a]\n", "into string", 3),
        ("storage:\n  files:\n    - path: /a\n      path: /b\n", "already defined", 4),
    ],
)
def test_type_errors_carry_location(body: str, fragment: str, line: int) -> None:
    with pytest.raises(UserError) as info:
        translate(bu(body), source_name="node.bu")
    assert fragment in str(info.value)
    assert info.value.line == line + 2  # two header lines
    assert str(info.value).startswith(f"node.bu:{line + 2}:")


def test_merge_keys_and_anchors() -> None:
    body = """storage:
  files:
    - &base
      path: /a
      mode: 0600
      contents: {inline: shared}
    - <<: *base
      path: /b
"""
    files = files_of(translate(bu(body)))
    assert files["/b"]["mode"] == 0o600
    assert decoded(files["/b"]["contents"]) == b"shared"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "variant"),
        ("version: 1.5.0\n", "variant"),
        ("variant: fcos\n", "semver"),
        ("variant: fcos\nversion: 1.5\n", "semver"),
        ("variant: fcos\nversion: 1.7.0\n", "No translator"),
        ("variant: rhcos\nversion: 1.5.0\n", "No translator"),
        ("- a\n", "Butane config"),
        ("variant: fcos\nversion: 1.5.0\nstorage: [\n", "invalid YAML"),
    ],
)
def test_header_errors(text: str, fragment: str) -> None:
    with pytest.raises(UserError, match=fragment):
        translate(text)


# -- strict mode and warnings ---------------------------------------------------------------


@pytest.mark.parametrize("mode", ["644", "600", "755", "700", "640"])
def test_decimal_looking_modes_warn(mode: str) -> None:
    text = bu(f"storage:\n  files:\n    - path: /a\n      mode: {mode}\n")
    result = translate_with_warnings(text)
    assert [w.message for w in result.warnings] == [
        "unreasonable mode would be reasonable if specified in octal; "
        "remember to add a leading zero"
    ]
    assert result.config["storage"]["files"][0]["mode"] == int(mode)
    with pytest.raises(UserError, match="leading zero"):
        translate(text, strict=True)


@pytest.mark.parametrize("mode", ["0644", "420", "0755", "04755", "01777", "0"])
def test_sensible_modes_do_not_warn(mode: str) -> None:
    text = bu(f"storage:\n  files:\n    - path: /a\n      mode: {mode}\n")
    assert translate_with_warnings(text, strict=True).warnings == []


def test_unknown_keys_and_version_gated_keys_warn() -> None:
    text = bu("grub:\n  users: [{name: root, password_hash: x}]\nbogus: 1\n", "1.4.0")
    warnings = translate_with_warnings(text).warnings
    assert [w.message for w in warnings] == ["Unused key grub", "Unused key bogus"]
    assert [w.path for w in warnings] == [("grub",), ("bogus",)]


def test_enabled_unit_without_install_section_warns() -> None:
    text = bu(
        "systemd:\n  units:\n    - name: a.service\n      enabled: true\n"
        '      contents: "[Service]\\nExecStart=/bin/true\\n"\n'
    )
    result = translate_with_warnings(text)
    assert "no install section" in result.warnings[0].message
    assert result.warnings[0].path == ("systemd", "units", 0, "contents")


def test_cli_prints_warnings_and_still_writes_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typhoon_tf.cli import main

    source = tmp_path / "in.bu"
    source.write_text(bu("storage:\n  files:\n    - path: /a\n      mode: 644\n"))
    out, err = io.BytesIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, write_through=True))
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["butane", str(source)]) == 0
    assert json.loads(out.getvalue())["storage"]["files"][0]["mode"] == 644
    assert "warning" in err.getvalue() and "in.bu:6:13" in err.getvalue()
    assert main(["butane", "--strict", str(source)]) == 2


# -- local files ------------------------------------------------------------------------------


def test_local_paths_stay_inside_the_files_dir(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "etc").mkdir()
    (tmp_path / "d" / "etc" / "motd").write_text("inside\n")
    (tmp_path / "secret").write_text("outside\n")
    body = "storage:\n  files:\n    - path: /m\n      contents:\n        local: {local}\n"
    config = translate(bu(body.format(local="/etc/motd")), files_dir=tmp_path / "d")
    assert decoded(files_of(config)["/m"]["contents"]) == b"inside\n"
    for escape in ("../secret", "etc/../../secret"):
        with pytest.raises(UserError, match="outside the files directory"):
            translate(bu(body.format(local=escape)), files_dir=tmp_path / "d")
    with pytest.raises(UserError, match="files-dir"):
        translate(bu(body.format(local="etc/motd")))


def test_trees_refuse_paths_that_already_have_contents(tmp_path: Path) -> None:
    (tmp_path / "t" / "etc").mkdir(parents=True)
    (tmp_path / "t" / "etc" / "a").write_text("tree\n")
    os.chmod(tmp_path / "t" / "etc" / "a", 0o755)
    ok = bu("storage:\n  trees: [{local: t}]\n  files: [{path: /etc/a, user: {id: 5}}]\n")
    file = files_of(translate(ok, files_dir=tmp_path))["/etc/a"]
    assert file["mode"] == 0o755 and file["user"] == {"id": 5}
    clash = bu(
        "storage:\n  trees: [{local: t}]\n  files: [{path: /etc/a, contents: {inline: x}}]\n"
    )
    with pytest.raises(UserError, match="already contains"):
        translate(clash, files_dir=tmp_path)


# -- generated sugar --------------------------------------------------------------------------


def test_user_unit_overrides_generated_mount_unit_field_by_field() -> None:
    body = """storage:
  filesystems:
    - device: /dev/disk/by-label/my-data
      format: xfs
      path: /var/my-data
      with_mount_unit: true
systemd:
  units:
    - name: var-my\\x2ddata.mount
      enabled: false
"""
    units = translate(bu(body))["systemd"]["units"]
    assert len(units) == 1
    assert units[0]["enabled"] is False
    assert "Where=/var/my-data" in units[0]["contents"]
    assert "systemd-fsck@dev-disk-by\\x2dlabel-my\\x2ddata.service" in units[0]["contents"]


def test_mount_unit_options_with_tang_luks_are_remote() -> None:
    body = """storage:
  luks:
    - name: vol
      device: /dev/sdb
      clevis: {tang: [{url: "http://tang", thumbprint: abc}]}
  filesystems:
    - device: /dev/mapper/vol
      format: ext4
      path: /srv
      mount_options: [noatime]
      with_mount_unit: true
"""
    unit = translate(bu(body))["systemd"]["units"][0]
    assert "Options=noatime,_netdev" in unit["contents"]
    assert unit["contents"].endswith("RequiredBy=remote-fs.target")


_BIOS = ("21686148-6449-6E6F-744E-656564454649", 1)
_ESP = ("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", 127)
_PREP = ("9E1A2D38-C612-4316-AA26-8B49521E5A8B", 4)
_RESERVED = ("8DA63339-0007-60C0-C436-083AC8230908", 1)
# coreos/butane v0.23.0 config/fcos/v1_N/translate.go processBootDevice: two firmware
# slots (an unused one becomes a 1 MiB "reserved" partition), then boot (384) and root.
MIRROR_SLOTS = {
    "x86_64": (("bios", _BIOS), ("esp", _ESP)),
    "aarch64": (("reserved", _RESERVED), ("esp", _ESP)),
    "ppc64le": (("prep", _PREP), ("reserved", _RESERVED)),
}


@pytest.mark.parametrize("version", ["1.3.0", "1.4.0", "1.5.0", "1.6.0"])
@pytest.mark.parametrize("layout", sorted(MIRROR_SLOTS))
def test_boot_device_mirror_partitions_match_butane(layout: str, version: str) -> None:
    body = f"boot_device:\n  layout: {layout}\n  mirror:\n    devices: [/dev/vda, /dev/vdb]\n"
    storage = translate(bu(body, version), strict=True)["storage"]
    for n, disk in enumerate(storage["disks"], start=1):
        expected = [
            {"label": f"{name}-{n}", "sizeMiB": size, "typeGuid": guid}
            for name, (guid, size) in MIRROR_SLOTS[layout]
        ]
        expected += [{"label": f"boot-{n}", "sizeMiB": 384}, {"label": f"root-{n}"}]
        assert disk["partitions"] == expected
        assert disk["wipeTable"] is True
    esps = [f"/dev/disk/by-partlabel/esp-{n}" for n in (1, 2)] if layout != "ppc64le" else []
    assert [fs["device"] for fs in storage["filesystems"]] == [
        *esps,
        "/dev/md/md-boot",
        "/dev/md/md-root",
    ]


def test_boot_device_errors() -> None:
    with pytest.raises(UserError, match="at least two"):
        translate(bu("boot_device:\n  mirror:\n    devices: [/dev/vda]\n"))
    with pytest.raises(UserError, match="layout"):
        translate(bu("boot_device:\n  layout: sparc\n  luks: {tpm2: true}\n"))


def test_flatcar_rejects_clevis_and_fcos_sugar() -> None:
    flatcar = "variant: flatcar\nversion: 1.1.0\n"
    with pytest.raises(UserError, match="clevis"):
        translate(
            flatcar + "storage:\n  luks: [{name: a, device: /dev/sda, clevis: {tpm2: true}}]\n"
        )
    assert [w.message for w in translate_with_warnings(flatcar + "grub: {}\n").warnings] == [
        "Unused key grub"
    ]


# -- Ignition validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("storage:\n  files: [{path: /a}, {path: /a}]\n", "duplicate"),
        ("storage:\n  links: [{path: /l}]\n", "target"),
        ("storage:\n  files: [{path: /a, mode: 99999}]\n", "illegal file mode"),
        ("storage:\n  files: [{path: /a, contents: {source: 'ftp://x'}}]\n", "scheme"),
        ("storage:\n  files: [{path: /a, contents: {source: 'data:,a b'}}]\n", "data"),
        (
            "storage:\n  files: [{path: /a, contents: {source: 'https://x', compression: xz}}]\n",
            "compression",
        ),
        (
            "storage:\n  files: [{path: /a, contents: {source: 'https://x', "
            "verification: {hash: 'md5-00'}}}]\n",
            "hash",
        ),
        ("storage:\n  filesystems: [{device: /dev/sda, format: zfs}]\n", "format"),
        ("storage:\n  raid: [{name: r, level: raid9, devices: [/dev/a]}]\n", "raid level"),
        ("systemd:\n  units: [{name: a.service}, {name: a.service}]\n", "duplicate"),
        ("passwd:\n  users: [{name: a}, {name: a}]\n", "duplicate"),
        ("storage:\n  files: [{path: /a, user: {id: 1, name: x}}]\n", "both id and name"),
    ],
)
def test_ignition_rules_reject(body: str, fragment: str) -> None:
    with pytest.raises(UserError, match=fragment):
        translate(bu(body))


def test_deterministic_output() -> None:
    corpus = Path(__file__).parent / "data" / "conformance" / "butane" / "31-fcos15-controller-node"
    text = (corpus / "input.bu").read_text()
    assert len({serialize(translate(text)) for _ in range(3)}) == 1


def test_butane_command_keeps_heavy_imports_lazy(tmp_path: Path) -> None:
    """Cold start matters (Terraform's external program runs per plan): no jsonschema/jinja2."""
    import subprocess

    source = tmp_path / "in.bu"
    source.write_text(bu("storage:\n  files:\n    - path: /a\n      contents: {inline: x}\n"))
    probe = (
        "import sys\n"
        "from typhoon_tf.cli import main\n"
        f"assert main(['butane', '--strict', {str(source)!r}]) == 0\n"
        "heavy = sorted(m for m in ('jsonschema', 'jinja2', 'boto3') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout


@pytest.mark.parametrize(
    ("version", "body", "ok"),
    [
        # Checked against ignition-validate: "" counts as an unset source...
        ("1.0.0", "ignition:\n  config:\n    replace: {source: ''}\n", True),
        ("1.4.0", "ignition:\n  config:\n    replace: {source: ''}\n", True),
        ("1.4.0", "ignition:\n  config:\n    merge: [{source: ''}]\n", False),
        (
            "1.4.0",
            "storage:\n  files: [{path: /a, overwrite: true, contents: {source: ''}}]\n",
            True,
        ),
        # ...except for 3.0's CA reference, a plain string that must be a URL.
        (
            "1.0.0",
            "ignition:\n  security: {tls: {certificate_authorities: [{source: ''}]}}\n",
            False,
        ),
        ("1.4.0", "storage:\n  links: [{path: /l}]\n", False),  # target required from 3.3
        ("1.2.0", "storage:\n  links: [{path: /l}]\n", True),
    ],
)
def test_empty_sources_and_targets_by_spec_version(version: str, body: str, ok: bool) -> None:
    if ok:
        translate(bu(body, version), strict=True)
    else:
        with pytest.raises(UserError):
            translate(bu(body, version), strict=True)


def test_fcos16_warns_about_partition_reuse_by_label() -> None:
    body = "storage:\n  disks:\n    - device: /dev/sdb\n      partitions:\n        - label: data\n"
    warnings = translate_with_warnings(bu(body, "1.6.0")).warnings
    assert [w.message for w in warnings] == [
        "partitions cannot be reused by label; number must be specified except on boot disk "
        "(/dev/disk/by-id/coreos-boot-disk) or when wipe_table is true"
    ]
    assert translate_with_warnings(bu(body, "1.5.0")).warnings == []


def test_fcos16_mount_units_only_under_etc_or_var() -> None:
    body = (
        "storage:\n  filesystems:\n    - device: /dev/sdb\n      format: xfs\n"
        "      path: /srv\n      with_mount_unit: true\n"
    )
    with pytest.raises(UserError, match="path must be under /etc or /var"):
        translate(bu(body, "1.6.0"))
    translate(bu(body, "1.5.0"), strict=True)


def test_fcos16_cex_needs_an_s390x_layout() -> None:
    body = "boot_device:\n  layout: x86_64\n  luks:\n    cex:\n      enabled: true\n"
    with pytest.raises(UserError, match="targeted architecture must match s390x"):
        translate(bu(body, "1.6.0"))


def test_fcos16_s390x_eckd_luks_device_name() -> None:
    body = "boot_device:\n  layout: s390x-eckd\n  luks:\n    device: /dev/sda\n    tpm2: true\n"
    with pytest.raises(UserError, match="must start with /dev/dasd"):
        translate(bu(body, "1.6.0"))


def test_small_root_partition_is_not_a_strict_warning() -> None:
    """Butane v0.23.0 (our reference) has no "root should have 8GiB" warning; it arrived in
    v0.28 (ErrRootTooSmall). A 4 GiB root must pass --strict as it does with v0.23.0."""
    body = (
        "storage:\n  disks:\n    - device: /dev/disk/by-id/coreos-boot-disk\n"
        "      partitions:\n        - label: root\n          number: 4\n"
        "          size_mib: 4096\n          resize: true\n"
    )
    config, warnings = translate_with_warnings(bu(body))
    assert warnings == []
    assert config["storage"]["disks"][0]["partitions"][0]["sizeMiB"] == 4096


@pytest.mark.parametrize("digits", [30, 5000])
def test_huge_integers_are_out_of_range_not_a_crash(digits: int) -> None:
    """yaml.v3 reads an integer beyond 64 bits as a float; Python's int() would also refuse
    more than 4300 digits, so the range check comes before any conversion."""
    text = bu("storage:\n  files:\n    - path: /x\n      mode: " + "9" * digits + "\n")
    with pytest.raises(UserError, match=r"storage\.files\.0\.mode: cannot unmarshal !!float"):
        translate(text)
