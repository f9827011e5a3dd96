"""`bootstrap.tf`: a cluster module's call of the bootstrap module.

Module variables named like a bootstrap input (cluster_name, networking, pod_cidr, ...) are
passed through by name; `bootstrap:` in platform.yaml adds the platform's own arguments
(api_servers, etcd_servers, fixed settings such as Google's MTU), each optionally with a
comment saying why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typhoon_tf import hcl
from typhoon_tf.bootstrap.interface import VARIABLES as BOOTSTRAP_VARIABLES
from typhoon_tf.platforms import Platform

# From modules/<platform>/<os>/kubernetes to modules/bootstrap.
BOOTSTRAP_SOURCE = "../../../bootstrap"


def bootstrap_tf(platform: Platform, os_name: str) -> str:
    explicit: Mapping[str, Any] = platform.extra["bootstrap"]
    inputs = {v.name for v in BOOTSTRAP_VARIABLES}
    unknown = sorted(set(explicit) - inputs)
    if unknown:
        raise ValueError(f"{platform.name}: bootstrap has no inputs {unknown}")
    own = {v.name for v in platform.variables_for(os_name)}
    passed = [v.name for v in BOOTSTRAP_VARIABLES if v.name in own and v.name not in explicit]
    entries = {name: _entry(value) for name, value in explicit.items()}
    plain = [(n, v) for n, (v, comment) in entries.items() if comment is None]
    commented = [(n, v, c) for n, (v, c) in entries.items() if c is not None]
    body: list[hcl.BodyItem] = [hcl.Attribute("source", BOOTSTRAP_SOURCE), hcl.Blank()]
    body += [hcl.Attribute(name, hcl.Expr(value)) for name, value in plain]
    body.append(hcl.Blank())
    body += [hcl.Attribute(name, hcl.Expr(f"var.{name}")) for name in passed]
    for name, value, comment in commented:
        body += [hcl.Blank(), hcl.Comment(comment), hcl.Attribute(name, hcl.Expr(value))]
    return hcl.render(
        [
            hcl.Comment(
                "Cluster assets: TLS, kubeconfigs, static pods and addon manifests "
                "(kept in Terraform state)."
            ),
            hcl.Block("module", ["bootstrap"], body),
        ]
    )


def _entry(raw: Any) -> tuple[str, str | None]:
    """A platform.yaml bootstrap entry: an expression, or {value, comment}."""
    if isinstance(raw, dict):
        return str(raw["value"]), raw.get("comment")
    return str(raw), None
