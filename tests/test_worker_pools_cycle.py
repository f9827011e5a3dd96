"""Worker pools end to end, offline: a cluster config with pools → generate → real Terraform
over the fake providers (init, fmt, validate, plan, apply, no-change re-plan) → each pool's
node config read back from state → ignition-validate → the real Ignition binary lays it out
→ the kubelet settings it wrote carry that pool's labels and taints (and its snippet).

One cycle per platform × OS (8, each 1–2 minutes, marked slow). On the Fedora CoreOS cycle
of each platform the applied state is also re-planned after regenerating with the pools
reordered (no change) and with one pool removed (only that pool's resources destroyed).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from cluster_oracles import (
    BUTANE_OF,
    apply_to_root,
    external_program_on_path,  # noqa: F401  (used by pytestmark)
    ignition_validate,
)
from test_nodes_helpers import scratch_dir

import typhoon_tf
from typhoon_tf.config import ClusterConfig
from typhoon_tf.generate.root_module import root_module
from typhoon_tf.testing.fork_server import fork_server
from typhoon_tf.testing.mirror import Mirror

pytestmark = pytest.mark.usefixtures("external_program_on_path")

REPO = Path(__file__).resolve().parent.parent
OSES = ("fedora-coreos", "flatcar-linux")
CASES = [(p, o) for p in ("aws", "google-cloud", "azure", "bare-metal") for o in OSES]
SNIPPET = """variant: {variant}
version: {version}
storage:
  files:
    - path: /etc/typhoon-snippet/{name}
      contents:
        inline: from {name}
"""
# The resource each pool's node config is read from, per platform.
NODE_CONFIG_RESOURCE = {
    "aws": "aws_launch_template.worker",
    "google-cloud": "google_compute_region_instance_template.worker",
    "azure": "azurerm_orchestrated_virtual_machine_scale_set.workers",
    "bare-metal": "matchbox_profile.worker",
}
SPOT_TAINT = "spot=true:NoSchedule"
FLATCAR_VERSION = "3975.2.1"
GPU_TAINT = "nvidia.com/gpu=present:NoSchedule"


def snippet(os_name: str, name: str) -> str:
    variant, version = BUTANE_OF[os_name]
    return SNIPPET.format(variant=variant, version=version, name=name)


def cloud_pools(platform: str, os_name: str) -> list[dict[str, Any]]:
    """Three pools: arm64 (GPU where the module has no arch), spot with a taint, labelled."""
    web = {"name": "web", "node_labels": ["pool=web", "tier=frontend"]}
    web["snippets"] = [snippet(os_name, "pool-web")]
    if platform == "aws":
        first: dict[str, Any] = {"name": "arm", "arch": "arm64", "instance_type": "t4g.medium"}
        spot: dict[str, Any] = {"name": "spot", "spot_price": 0.05}
    elif platform == "google-cloud":
        # Typhoon's Google Cloud workers have no arch: a GPU pool instead.
        first = {"name": "gpu", "machine_type": "n1-standard-4"}
        first |= {"accelerator_type": "nvidia-tesla-t4", "accelerator_count": "1"}
        first["node_taints"] = [GPU_TAINT]
        spot = {"name": "spot", "preemptible": True}
    elif os_name == "flatcar-linux":
        first = {"name": "arm", "arch": "arm64", "vm_type": "Standard_D2ps_v5"}
        spot = {"name": "spot", "priority": "Spot"}
    else:
        # Azure's Fedora CoreOS workers are amd64 only (no arch): a GPU pool instead.
        first = {"name": "gpu", "vm_type": "Standard_NC4as_T4_v3", "node_taints": [GPU_TAINT]}
        spot = {"name": "spot", "priority": "Spot"}
    first["node_labels"] = [f"pool={first['name']}"]
    spot |= {"node_labels": ["pool=spot"], "node_taints": [SPOT_TAINT], "worker_count": 2}
    return [first, spot, web]


def metal_pools(os_name: str) -> list[dict[str, Any]]:
    def machine(name: str, n: int) -> dict[str, str]:
        return {"name": name, "mac": f"52:54:00:00:10:{n:02x}", "domain": f"{name}.example.com"}

    gpu = {"name": "gpu", "machines": [machine("node4", 4), machine("node5", 5)]}
    gpu |= {"node_labels": ["pool=gpu"], "node_taints": [GPU_TAINT]}
    storage = {"name": "storage", "machines": [machine("node6", 6)]}
    storage |= {"node_labels": ["pool=storage"], "snippets": [snippet(os_name, "pool-storage")]}
    return [gpu, storage]


def document(
    platform: str, os_name: str, pools: list[dict[str, Any]], certs: Path
) -> dict[str, Any]:
    example = REPO / "typhoon_tf" / "config" / "examples" / f"{platform}.yaml"
    doc: dict[str, Any] = yaml.safe_load(example.read_text())
    doc["os"] = os_name
    doc["worker_pools"] = pools
    if platform != "bare-metal":
        doc["cluster"] |= {"controller_count": 1, "worker_count": 1}
        return doc
    if os_name == "flatcar-linux":
        doc["cluster"]["os_version"] = FLATCAR_VERSION
    # The matchbox provider reads its client certificate files at plan time.
    certs.mkdir(exist_ok=True)
    for key in ("client_cert", "client_key", "ca"):
        path = certs / f"{key}.pem"
        path.write_text("-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n")
        doc["provider"][key] = str(path)
    return doc


def config_of(doc: Mapping[str, Any]) -> ClusterConfig:
    return typhoon_tf.cluster_config_from_mapping(doc, source="<pools test>")


def pools_for(platform: str, os_name: str) -> list[dict[str, Any]]:
    return metal_pools(os_name) if platform == "bare-metal" else cloud_pools(platform, os_name)


# --- oracles ---------------------------------------------------------------------------


def kubelet_env(root: Path) -> dict[str, str]:
    text = (root / "etc/kubernetes/kubelet.env").read_text()
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def check_pool_node(root: Path, pool: Mapping[str, Any]) -> None:
    """The kubelet settings Ignition laid out carry the pool's labels and taints."""
    env = kubelet_env(root)
    labels = env["NODE_LABELS"].split(",")
    assert labels[0] == "node.kubernetes.io/node="
    assert labels[1:] == list(pool.get("node_labels", []))
    taints = pool.get("node_taints", [])
    expected = f"--register-with-taints={','.join(taints)}" if taints else ""
    assert env["NODE_TAINTS_FLAG"] == expected
    for text in pool.get("snippets", []):
        name = text.split("/etc/typhoon-snippet/")[1].split("\n")[0]
        assert (root / "etc/typhoon-snippet" / name).read_text() == f"from {name}"


def pool_configs(result: Any, platform: str, label: str) -> list[str]:
    """Node configs of pool module `label` (one per machine on bare-metal)."""
    rendered: dict[str, str] = result.rendered_user_data()
    marker = NODE_CONFIG_RESOURCE[platform]
    return [
        text
        for address, text in sorted(rendered.items())
        if address.startswith((f"module.{label}.", f"module.{label}[")) and marker in address
    ]


# --- re-plans in the harness workspace -------------------------------------------------


def replan(result: Any, files: Mapping[str, str]) -> dict[str, Any]:
    """Plan the applied workspace with a regenerated main.tf/outputs.tf (the modules are
    the same); return `show -json` of the plan."""
    from typhoon_tf.testing.harness import VARS_FILE, shared_terraform_home
    from typhoon_tf.testing.terraform_bin import terraform_env

    for name in ("main.tf", "outputs.tf"):
        (result.module_path / name).write_text(files[name])
    env = terraform_env(result.workspace / "terraformrc", shared_terraform_home())

    def terraform(*args: str) -> str:
        proc = subprocess.run(
            [str(result.terraform.path), *args],
            cwd=result.module_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        return proc.stdout

    var_file = result.workspace / VARS_FILE
    terraform("plan", "-input=false", "-no-color", "-out=pools.tfplan", f"-var-file={var_file}")
    shown: dict[str, Any] = json.loads(terraform("show", "-json", "pools.tfplan"))
    return shown


def changes(plan: Mapping[str, Any]) -> dict[str, list[str]]:
    return {
        rc["address"]: rc["change"]["actions"]
        for rc in plan.get("resource_changes", [])
        if rc["change"]["actions"] != ["no-op"]
    }


@pytest.fixture
def scratch() -> Iterator[Path]:
    with scratch_dir() as path:
        yield path


# --- the cycles ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("platform", "os_name"), CASES)
def test_pools_apply_offline(tmp_path: Path, scratch: Path, platform: str, os_name: str) -> None:
    from typhoon_tf.generate import generate
    from typhoon_tf.testing.harness import verify_module

    pools = pools_for(platform, os_name)
    doc = document(platform, os_name, pools, tmp_path / "certs")
    config = config_of(doc)
    out = generate(config, tmp_path / "cluster")
    result = verify_module(out, workdir=tmp_path / "work")

    cluster = config.variables["cluster_name"]
    outputs = result.output("worker_pools")
    assert set(outputs) == {p["name"] for p in pools}
    for pool in pools:
        label = f"{cluster}-{pool['name']}"
        configs = pool_configs(result, platform, label)
        machines = pool.get("machines")
        assert len(configs) == (len(machines) if machines else 1), label
        if machines:
            assert outputs[pool["name"]]["machines"] == sorted(m["name"] for m in machines)
        else:
            assert outputs[pool["name"]]["name"] == label
        for i, text in enumerate(configs):
            ignition_validate(text, tmp_path)
            check_pool_node(apply_to_root(text, scratch, f"{pool['name']}{i}"), pool)

    if os_name == "fedora-coreos":
        # The applied workspace's own mirror, served by one zygote for the three re-plans.
        with fork_server(Mirror(result.workspace / "mirror", result.providers, ())):
            check_regenerations(result, doc, pools, cluster)


def only_under(planned: Mapping[str, list[str]], module: str) -> None:
    assert planned, f"no change planned for {module}"
    for address in planned:
        assert address.startswith((f"{module}.", f"{module}[")), address


def check_regenerations(
    result: Any, doc: dict[str, Any], pools: list[dict[str, Any]], cluster: str
) -> None:
    """Re-plans of the applied cluster after regenerating: reordered pools change nothing;
    a pool's new label rolls only that pool; a removed pool is only that pool's destroy.
    The driver's guard reads each plan as the user is told (`pool_changes`)."""
    from typhoon_tf.driver.guard import pool_changes

    reordered = config_of(dict(doc, worker_pools=list(reversed(pools))))
    plan = replan(result, root_module(reordered))
    assert changes(plan) == {}
    assert pool_changes(plan) == []

    relabelled = [dict(pools[0], node_labels=["pool=relabelled"]), *pools[1:]]
    plan = replan(result, root_module(config_of(dict(doc, worker_pools=relabelled))))
    first = f"module.{cluster}-{pools[0]['name']}"
    only_under(changes(plan), first)
    assert [(c.module, c.kind) for c in pool_changes(plan)] == [(first, "rolled")]

    last = f"module.{cluster}-{pools[-1]['name']}"
    plan = replan(result, root_module(config_of(dict(doc, worker_pools=pools[:-1]))))
    planned = changes(plan)
    only_under(planned, last)
    assert all(actions == ["delete"] for actions in planned.values()), planned
    (removed,) = pool_changes(plan)
    assert (removed.module, removed.kind) == (last, "removed")
    assert set(removed.addresses) == set(planned)
