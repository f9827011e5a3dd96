"""Which features each Butane (variant, version) has and which Ignition version it emits.

One table instead of a copy of the translator per version: every schema field and
every sugar names the feature it needs, and a spec version is just a feature set.
"""

from __future__ import annotations

from typing import NamedTuple

# Features each Butane base package added (base/v0_1 .. base/v0_6).
_BASE_FEATURES: dict[int, frozenset[str]] = {}
_ADDED_BY_BASE: dict[int, tuple[str, ...]] = {
    1: ("base",),
    2: (
        "local",
        "trees",
        "http_headers",
        "proxy",
        "mount_units",
        "mount_options",
        "auto_compression",
        "compression_field",
        "sha256",
    ),
    3: ("luks", "should_exist", "resize", "gs_urls"),
    4: ("kernel_arguments", "swap_units", "format_none"),
    5: (
        "contents_local",
        "ssh_keys_local",
        "luks_discard",
        "open_options",
        "tang_advertisement",
        "arn_urls",
    ),
    6: ("cex",),
}
_acc: set[str] = set()
for _level in sorted(_ADDED_BY_BASE):
    _acc.update(_ADDED_BY_BASE[_level])
    _BASE_FEATURES[_level] = frozenset(_acc)


class Spec(NamedTuple):
    """A Butane spec version: what it accepts and what it emits."""

    variant: str
    version: str
    ignition_version: str
    features: frozenset[str]

    def has(self, feature: str | None) -> bool:
        return feature is None or feature in self.features


def _spec(variant: str, version: str, ign: str, base: int, *extra: str) -> Spec:
    return Spec(variant, version, ign, _BASE_FEATURES[base] | frozenset(extra))


_FCOS_BOOT = ("boot_device", "fcos_checks")
SPECS: dict[tuple[str, str], Spec] = {
    (s.variant, s.version): s
    for s in (
        _spec("fcos", "1.0.0", "3.0.0", 1, "fcos_checks"),
        _spec("fcos", "1.1.0", "3.1.0", 2, "fcos_checks"),
        _spec("fcos", "1.2.0", "3.2.0", 3, "fcos_checks"),
        _spec("fcos", "1.3.0", "3.2.0", 3, *_FCOS_BOOT),
        _spec("fcos", "1.4.0", "3.3.0", 4, *_FCOS_BOOT),
        _spec("fcos", "1.5.0", "3.4.0", 5, *_FCOS_BOOT, "grub", "boot_luks_discard"),
        _spec(
            "fcos",
            "1.6.0",
            "3.5.0",
            6,
            *_FCOS_BOOT,
            "grub",
            "boot_luks_discard",
            "boot_luks_device",
            "boot_luks_cex",
            "s390x_layouts",
            "fcos16_checks",
        ),
        _spec("flatcar", "1.0.0", "3.3.0", 4, "no_clevis"),
        _spec("flatcar", "1.1.0", "3.4.0", 5, "no_clevis"),
    )
}


def supported_versions() -> list[str]:
    """Human-readable list for error messages and docs."""
    return [f"{variant} {version}" for variant, version in SPECS]


# boot_device layouts (checked for every config; rendered by bootdevice.py, which is
# imported only when a config has a boot_device).
LAYOUTS = ("x86_64", "aarch64", "ppc64le")
S390X_LAYOUTS = ("s390x-eckd", "s390x-virt", "s390x-zfcp")
