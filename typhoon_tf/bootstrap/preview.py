"""Render the cluster's Kubernetes manifests with example values, for review and tests.

The bootstrap module's manifests are Terraform templates, so they are rendered by
Terraform's own `templatefile()` (no providers needed): what you review is exactly what a
cluster gets, with example certificates and tokens in place of the real ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from typhoon_tf import hcl
from typhoon_tf.bootstrap.assets import MANIFEST_SETS
from typhoon_tf.bootstrap.examples import example_template_values
from typhoon_tf.bootstrap.module import bootstrap_module
from typhoon_tf.errors import UserError
from typhoon_tf.fsutil import write_tree_atomic


def manifest_folders(
    networking: str, *, coredns: bool = True, kube_proxy: bool = True
) -> dict[str, str]:
    """Template folder under resources/ → where its files go (as in assets_dist)."""
    folders = {}
    for _local, folder, prefix, _condition in MANIFEST_SETS:
        if folder == "${var.networking}":
            folder = networking
        if folder == "coredns" and not coredns:
            continue
        # Cilium replaces kube-proxy, as in the module's `components` rules.
        if folder == "kube-proxy" and (not kube_proxy or networking == "cilium"):
            continue
        folders[folder] = prefix
    return folders


def render_manifests(
    terraform: Path,
    *,
    networking: str = "cilium",
    pod_cidr: str = "10.20.0.0/14",
    service_cidr: str = "10.3.0.0/16",
    daemonset_tolerations: Sequence[str] = (),
    network_mtu: int = 1500,
    network_encapsulation: str = "ipip",
) -> dict[str, str]:
    """Every static pod and bootstrap manifest for `networking`, keyed by assets_dist path."""
    values = example_template_values(
        networking=networking,
        pod_cidr=pod_cidr,
        service_cidr=service_cidr,
        daemonset_tolerations=tuple(daemonset_tolerations),
        network_mtu=network_mtu,
        network_encapsulation=network_encapsulation,
    )
    folders = manifest_folders(networking)
    rendered = {
        folder: hcl.Expr(
            "{\n"
            f'  for f in fileset("${{path.module}}/bootstrap/resources/{folder}", "*.yaml") :\n'
            f'  f => templatefile("${{path.module}}/bootstrap/resources/{folder}/${{f}}", '
            "local.example)\n"
            "}"
        )
        for folder in folders
    }
    main_tf = hcl.render(
        [
            hcl.Block("locals", body=[hcl.Attribute("example", values)]),
            hcl.Block("output", ["manifests"], [hcl.Attribute("value", rendered)]),
        ]
    )
    by_folder: dict[str, dict[str, str]] = _terraform_outputs(terraform, main_tf)["manifests"]
    return {
        f"{folders[folder]}/{name}": text
        for folder, files in sorted(by_folder.items())
        for name, text in sorted(files.items())
    }


def _terraform_outputs(terraform: Path, main_tf: str) -> dict[str, Any]:
    """Apply a provider-less root module and return its outputs' values."""
    with tempfile.TemporaryDirectory(prefix="typhoon-tf-manifests-") as tmp:
        root = Path(tmp)
        write_tree_atomic(root / "bootstrap", bootstrap_module())
        (root / "main.tf").write_text(main_tf)
        (root / "empty.tfrc").write_text("")
        env = {
            **os.environ,
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "TF_CLI_CONFIG_FILE": str(root / "empty.tfrc"),
        }
        for args in (["init", "-backend=false"], ["apply", "-auto-approve"], ["output", "-json"]):
            proc = subprocess.run(
                [str(terraform), *args, *(["-input=false"] if args[0] != "output" else [])],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                message = (proc.stderr or proc.stdout).strip().splitlines()
                raise UserError(f"terraform {args[0]} failed: {' '.join(message[-3:])}")
        outputs: dict[str, dict[str, Any]] = json.loads(proc.stdout)
        return {name: output["value"] for name, output in outputs.items()}
