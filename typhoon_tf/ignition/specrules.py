"""Where Ignition's validation rules differ, as data: per spec version and per release.

The rules themselves live in `semantic3` (one rule book for `typhoon-tf ignition
validate` and the Butane pipeline). This module says which variant of a rule applies:

* per **spec version** (coreos/ignition `config/v3_N/types/*.go`): URL schemes, hash
  functions, filesystem formats, which references need a source, ...;
* per **Ignition release**, because newer Ignition binaries validate old spec versions
  more strictly. Butane v0.23.0 (the conformance corpus' reference) vendors Ignition
  2.20.0, Debian's `ignition-validate` (our differential oracle) is 2.14.0.
"""

from __future__ import annotations

from typing import NamedTuple

Release = tuple[int, int, int]

ORACLE_RELEASE: Release = (2, 14, 0)  # Debian bookworm's ignition / ignition-validate
BUTANE_RELEASE: Release = (2, 20, 0)  # vendored by Butane v0.23.0
DEFAULT_RELEASE = BUTANE_RELEASE

# Rules (by name) and the first Ignition release that enforces them for every 3.x spec.
RELEASE_RULES: dict[str, Release] = {
    "unit_path_conflict": (2, 15, 0),  # files/dirs/links vs unit and drop-in paths
    "hard_link_owner": (2, 15, 0),  # user/group on a hard link is ignored: warn
    "filesystem_on_disk": (2, 15, 0),  # filesystem on a partitioned or wiped disk: warn
    "template_unit_install": (2, 15, 0),  # enabled instance of a template without [Install]
    "special_bits_all_specs": (2, 22, 0),  # setuid/setgid/sticky warning for 3.4/3.5 too
}

_BASE_SCHEMES = frozenset({"http", "https", "tftp", "s3", "data"})
_BASE_FORMATS = frozenset({"ext4", "btrfs", "xfs", "swap", "vfat"})


class SpecRules(NamedTuple):
    """The version-dependent knobs of the spec-3 rules."""

    minor: int
    schemes: frozenset[str]
    hash_functions: tuple[str, ...]
    fs_formats: frozenset[str]
    # 3.1+: config merges and CAs are `Resource`s whose source is required and whose
    # verification needs a source; 3.0's ConfigReference checks neither, and 3.0's
    # CaReference has a plain-string source ("" fails as a URL without scheme).
    references_are_resources: bool
    link_target_required: bool  # 3.3+: `target` became a pointer and is required
    custom_clevis_by_pin: bool  # 3.3+: custom clevis counts as set when its pin is set
    tang_advertisement: bool  # 3.4+: offline Tang advertisement must be JSON
    cex: bool  # 3.5+: LUKS CEX conflicts with clevis and key files
    special_bits_warn: bool  # specs before 3.4 ignore setuid/setgid/sticky bits


def _rules(minor: int) -> SpecRules:
    schemes = set(_BASE_SCHEMES)
    if minor >= 2:
        schemes.add("gs")
    if minor >= 4:
        schemes.add("arn")
    return SpecRules(
        minor=minor,
        schemes=frozenset(schemes),
        hash_functions=("sha512",) if minor == 0 else ("sha512", "sha256"),
        fs_formats=_BASE_FORMATS | ({"none"} if minor >= 3 else set()),
        references_are_resources=minor >= 1,
        link_target_required=minor >= 3,
        custom_clevis_by_pin=minor >= 3,
        tang_advertisement=minor >= 4,
        cex=minor >= 5,
        special_bits_warn=minor < 4,
    )


SPEC3_RULES: dict[str, SpecRules] = {f"3.{minor}.0": _rules(minor) for minor in range(6)}
# Spec 2.3 (spec2x branch) shares the resource/path/unit rules of 3.0.
SPEC2_RULES = SPEC3_RULES["3.0.0"]

# Filesystem label limits per format (mkfs man pages; mkswap truncates at 15).
FS_LABEL_MAX = {"ext4": 16, "btrfs": 256, "xfs": 12, "swap": 15, "vfat": 11}
PARTITION_LABEL_MAX = 36  # GPT partition name: 36 UTF-16 code units
LUKS_LABEL_MAX = 47  # LUKS2 label: 48 bytes including the terminator
# RAID levels with mdadm's aliases; the first group cannot have spares.
RAID_LEVELS_NO_SPARES = frozenset({"linear", "raid0", "0", "stripe"})
RAID_LEVELS = RAID_LEVELS_NO_SPARES | frozenset(
    {"raid1", "1", "mirror", "raid4", "4", "raid5", "5", "raid6", "6", "raid10", "10"}
)
UNIT_EXTENSIONS = frozenset(
    {
        ".service",
        ".socket",
        ".device",
        ".mount",
        ".automount",
        ".swap",
        ".target",
        ".path",
        ".timer",
        ".snapshot",
        ".slice",
        ".scope",
    }
)
CLEVIS_PINS = frozenset({"tpm2", "tang", "sss"})
HASH_HEX_LEN = {"sha512": 128, "sha256": 64}
MODE_MAX = 0o7777
SPECIAL_MODE_BITS = 0o7000


def rules_for(version: str) -> SpecRules:
    return SPEC3_RULES.get(version, SPEC2_RULES)


def enforces(release: Release, rule: str) -> bool:
    return release >= RELEASE_RULES[rule]
