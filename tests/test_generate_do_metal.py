"""DigitalOcean and bare-metal (Matchbox) end to end, offline: cluster config → generated
root module → real Terraform (init, fmt, validate, plan, apply, no-change re-plan) → node
configs read back from state (droplet `user_data`, Matchbox `raw_ignition`) →
ignition-validate → the real Ignition binary lays them out on a scratch root.

Both platforms deliver the kubelet kubeconfig over SSH, so the tests also check that no
rendered node config carries it. The harness removes SSH provisioners from its scratch copy
only (they need reachable machines); everything else runs as written.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cluster_oracles import (
    BUTANE_OF,
    apply_to_root,
    external_program_on_path,  # noqa: F401  (used by pytestmark)
    ignition_validate,
)
from test_nodes_helpers import scratch_dir

from typhoon_tf.config import ClusterConfig, example_config
from typhoon_tf.generate.platform_module import ModuleRequest, platform_module
from typhoon_tf.nodes.render import butane_template
from typhoon_tf.platforms import load_platform

pytestmark = pytest.mark.usefixtures("external_program_on_path")

OSES = ("fedora-coreos", "flatcar-linux")
FLATCAR_VERSION = "3975.2.1"
SNIPPET = """\
variant: {variant}
version: {version}
storage:
  files:
    - path: /etc/typhoon-snippet/{name}
      mode: 0644
      contents:
        inline: from {name}
"""


def snippet(os_name: str, name: str) -> str:
    variant, version = BUTANE_OF[os_name]
    return SNIPPET.format(variant=variant, version=version, name=name)


# --- configs ---------------------------------------------------------------------------


def machines(prefix: str, count: int, first: int) -> list[dict[str, str]]:
    return [
        {
            "name": f"{prefix}{first + i}",
            "mac": f"52:54:00:00:{first:02x}:{i:02x}",
            "domain": f"{prefix}{first + i}.example.com",
        }
        for i in range(count)
    ]


def do_config(os_name: str, controllers: int, workers: int) -> ClusterConfig:
    config = example_config("digital-ocean", os_name)
    variables = dict(config.variables, controller_count=controllers, worker_count=workers)
    if workers:  # Typhoon's DigitalOcean gap, closed: labels, taints and cloud_provider
        variables.update(
            worker_node_labels=["pool=blue"],
            worker_node_taints=["dedicated=blue:NoSchedule"],
            cloud_provider="external",
        )
    return replace(config, variables=variables)


def metal_config(os_name: str, controllers: int, workers: int, certs: Path) -> ClusterConfig:
    config = example_config("bare-metal", os_name)
    variables = dict(
        config.variables,
        controllers=machines("node", controllers, 1),
        workers=machines("node", workers, 1 + controllers),
    )
    if os_name == "flatcar-linux":
        variables["os_version"] = FLATCAR_VERSION
    # The provider reads its client certificate files at plan time.
    certs.mkdir(exist_ok=True)
    provider = dict(config.provider)
    for key in ("client_cert", "client_key", "ca"):
        path = certs / f"{key}.pem"
        path.write_text("-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n")
        provider[key] = str(path)
    return replace(config, variables=variables, provider=provider)


# --- oracles ---------------------------------------------------------------------------


def assert_no_credentials(root: Path, config_text: str, kubeconfig: str) -> None:
    """Neither the config text nor any file it lays out holds the kubelet kubeconfig."""
    assert not (root / "etc/kubernetes/kubeconfig").exists()
    secret_lines = [ln for ln in kubeconfig.splitlines() if "token" in ln or "-data:" in ln]
    needles = [kubeconfig, *secret_lines] if secret_lines else [kubeconfig]
    for needle in needles:
        assert needle not in config_text
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            text = path.read_bytes().decode(errors="replace")
            for needle in needles:
                assert needle not in text, f"{path} holds kubeconfig content"


def assert_kubelet_waits_for_ssh(root: Path) -> None:
    units = root / "etc/systemd/system"
    path_unit = (units / "kubelet.path").read_text()
    assert "PathExists=/etc/kubernetes/kubeconfig" in path_unit
    assert (units / "kubelet.service").is_file()
    assert (root / "etc/kubernetes").is_dir()


def assert_controller(root: Path, etcd_name: str, peers: int) -> None:
    etcd_env = (root / "etc/etcd/etcd.env").read_text()
    assert f"ETCD_NAME={etcd_name}\n" in etcd_env
    assert etcd_env.count(":2380") >= peers
    units = root / "etc/systemd/system"
    assert (units / "etcd-member.service").is_file()
    assert (root / "opt/bootstrap/layout").is_file()


def configs_of(result: Any, marker: str) -> list[str]:
    rendered: dict[str, str] = result.rendered_user_data()
    return [text for address, text in sorted(rendered.items()) if marker in address]


# --- fast: generation only ---------------------------------------------------------------


@pytest.mark.parametrize("os_name", OSES)
def test_digital_ocean_module_renders_both_roles_without_a_kubeconfig_hole(os_name: str) -> None:
    tree = platform_module(ModuleRequest(platform="digital-ocean", os=os_name))
    assert {"ignition/controller.ign.tftpl", "ignition/worker.ign.tftpl"} <= set(tree)
    assert not any(path.startswith("workers/") for path in tree), "DigitalOcean has no pool"
    for role in ("controller", "worker"):
        assert "${kubeconfig}" not in tree[f"ignition/{role}.ign.tftpl"]
    glue = tree["ignition.tf"]
    assert "controller_user_data = [" in glue and "worker_user_data = " in glue
    assert "kubeconfig" not in glue
    assert "local.worker_user_data" in tree["workers.tf"]


@pytest.mark.parametrize("os_name", OSES)
def test_bare_metal_tree_is_deterministic_and_install_config_is_flatcar_only(
    os_name: str,
) -> None:
    request = ModuleRequest(platform="bare-metal", os=os_name)
    tree = platform_module(request)
    assert tree == platform_module(request)
    assert "worker/ignition/worker.ign.tftpl" in tree
    assert "worker/pxe.tf" in tree and "pxe.tf" in tree
    has_install = "ignition/install.ign.tftpl" in tree
    assert has_install is (os_name == "flatcar-linux")
    assert ("worker/ignition/install.ign.tftpl" in tree) is has_install
    if has_install:
        template = tree["ignition/install.ign.tftpl"]
        for name in ("ignition_url", "install_disk", "os_channel", "ssh_authorized_key"):
            assert "${" + name + "}" in template


def test_typhoon_state_identity_digital_ocean() -> None:
    """What switching from Typhoon must not change: the firewall's outbound rules as
    Typhoon wrote them, and SSH copies keyed without `triggers` (Typhoon's have none, so
    a trigger there would re-run them against live controllers after the switch)."""
    tree = platform_module(ModuleRequest(platform="digital-ocean", os="fedora-coreos"))
    firewall = " ".join(tree["firewall.tf"].split())
    for protocol in ("tcp", "udp", "icmp"):
        rule = (
            f'outbound_rule {{ protocol = "{protocol}" port_range = "1-65535" '
            'destination_addresses = ["0.0.0.0/0", "::/0"] }'
        )
        assert rule in firewall, protocol
    ssh = tree["ssh.tf"]
    assert "triggers = {" not in ssh
    for role in ("controllers", "workers"):
        assert f"replace_triggered_by = [digitalocean_droplet.{role}[count.index].id]" in ssh
    # Controllers ignore node config changes (user_data forces a new droplet).
    controllers = " ".join(tree["controllers.tf"].split())
    assert "lifecycle { ignore_changes = [user_data] }" in controllers


@pytest.mark.parametrize("os_name", OSES)
def test_typhoon_state_identity_bare_metal(os_name: str) -> None:
    """Flatcar install groups keep Typhoon's ids (`install-<name>`); the README speaks of
    `os_channel` only where the variable exists."""
    tree = platform_module(ModuleRequest(platform="bare-metal", os=os_name))
    if os_name == "flatcar-linux":
        controllers = tree["controllers.tf"]
        assert 'name    = format("install-%s", var.controllers[count.index].name)' in controllers
        assert 'name    = format("install-%s", var.name)' in tree["worker/profiles.tf"]
    else:
        assert "os_channel" not in tree["README.md"]
        assert "flatcar" not in tree["variables.tf"].lower()
        assert "install" not in tree["controllers.tf"].replace("coreos.inst", "")


# Files whose FCOS and Flatcar versions may differ, and why: node configs (the OS
# contract), the snippets' Butane variant, the README's OS name; on bare-metal also the PXE
# boot (live PXE + coreos-installer vs flatcar-install) and the OS-only variables.
NODE_CONFIG_FILES = {"README.md", "ignition.tf", "ignition/controller.ign.tftpl"}
OS_SPECIFIC_FILES = {
    "digital-ocean": NODE_CONFIG_FILES | {"ignition/worker.ign.tftpl"},
    "bare-metal": NODE_CONFIG_FILES
    - {"ignition.tf"}  # controller snippets are per machine: snippets.tf
    | {"snippets.tf", "pxe.tf", "controllers.tf", "ssh.tf", "variables.tf", "workers.tf"}
    | {f"worker/{name}" for name in ("README.md", "ignition.tf", "ignition/worker.ign.tftpl")}
    | {f"worker/{name}" for name in ("pxe.tf", "profiles.tf", "ssh.tf", "variables.tf")},
}
FLATCAR_ONLY_FILES = {
    "digital-ocean": set(),
    "bare-metal": {"ignition/install.ign.tftpl", "worker/ignition/install.ign.tftpl"},
}


def changed_lines(before: str, after: str) -> list[str]:
    return [
        " ".join(line.split())
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line.startswith(("- ", "+ "))
    ]


@pytest.mark.parametrize("platform", ["digital-ocean", "bare-metal"])
def test_os_trees_differ_only_where_the_os_contract_says(platform: str) -> None:
    fcos, flatcar = (platform_module(ModuleRequest(platform=platform, os=o)) for o in OSES)
    assert set(flatcar) - set(fcos) == FLATCAR_ONLY_FILES[platform]
    assert set(fcos) <= set(flatcar)
    differing = {rel for rel in fcos if fcos[rel] != flatcar[rel]}
    assert differing == OS_SPECIFIC_FILES[platform], differing ^ OS_SPECIFIC_FILES[platform]
    # The Butane variant of snippet transpiling: once per role with a snippets data source.
    glue = "snippets.tf" if platform == "bare-metal" else "ignition.tf"
    roles = 1 if platform == "bare-metal" else 2
    assert sorted(changed_lines(fcos[glue], flatcar[glue])) == sorted(
        ['- variant = "fcos"', '+ variant = "flatcar"'] * roles
    )
    if platform == "bare-metal":
        assert sorted(changed_lines(fcos["workers.tf"], flatcar["workers.tf"])) == [
            "+ download_protocol = var.download_protocol",
            "+ oem_type = var.oem_type",
            "+ os_channel = var.os_channel",
            "- os_stream = var.os_stream",
        ]
        assert [
            line
            for line in changed_lines(fcos["ssh.tf"], flatcar["ssh.tf"])
            if not line.startswith("+ #")
        ] == ["+ matchbox_group.install,"]


def test_platform_butane_template_rejects_values_hidden_in_file_contents() -> None:
    butane = (
        "variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /x\n"
        "      contents:\n        inline: ${secret}\n"
    )
    with pytest.raises(AssertionError, match="secret"):
        butane_template(butane, ignition_version="3.3.0", source_name="test")


def test_platform_butane_template_escapes_literal_template_sequences() -> None:
    butane = (
        "variant: flatcar\nversion: 1.0.0\nsystemd:\n  units:\n    - name: a.service\n"
        "      contents: |\n        [Service]\n        Environment=A=${value}\n"
        "        ExecStart=/bin/sh -c 'echo $${HOME} %%{x}'\n"
    )
    text, names = butane_template(butane, ignition_version="3.3.0", source_name="test")
    assert names == ["value"]
    assert "Environment=A=${value}" in text
    assert "$${HOME}" in text  # literal ${HOME} stays literal through templatefile()


@pytest.mark.parametrize("version", ["3.3.0", "2.3.0"])
def test_flatcar_install_config_follows_the_node_ignition_version(version: str) -> None:
    from typhoon_tf.ignition.validate import validate

    request = ModuleRequest(platform="bare-metal", os="flatcar-linux", ignition_version=version)
    template = platform_module(request)["ignition/install.ign.tftpl"]
    # Fill the holes as templatefile() would, with JSON-string-safe example values.
    filled = re.sub(r"\$\{(\w+)\}", lambda m: f"example-{m.group(1)}", template)
    config = json.loads(filled)
    assert config["ignition"]["version"] == version
    assert validate(config) == []


def test_size_limits_are_declared() -> None:
    assert load_platform("digital-ocean").user_data_limit == 64 * 1024


# --- slow: real Terraform over whole clusters ------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("os_name", OSES)
@pytest.mark.parametrize(("controllers", "workers"), [(1, 0), (3, 2)])
def test_digital_ocean_cluster_applies_offline(
    tmp_path: Path, os_name: str, controllers: int, workers: int
) -> None:
    from typhoon_tf.generate import generate
    from typhoon_tf.testing.harness import verify_module

    out = generate(do_config(os_name, controllers, workers), tmp_path / "cluster")
    result = verify_module(out, workdir=tmp_path / "work")

    removed = {b.resource for b in result.removed_blocks}
    assert {"null_resource.copy-controller-secrets", "null_resource.bootstrap"} <= removed
    assert "null_resource.copy-worker-secrets" in removed
    assert len(result.resources("digitalocean_droplet")) == controllers + workers
    assert len(result.resources("digitalocean_record")) == 2 * controllers + workers
    assert result.output("kubeconfig-admin").startswith("apiVersion: v1")
    kubeconfig = result.output("kubeconfig")

    controller_configs = configs_of(result, "digitalocean_droplet.controllers")
    worker_configs = configs_of(result, "digitalocean_droplet.workers")
    assert (len(controller_configs), len(worker_configs)) == (controllers, workers)
    assert len(set(worker_configs)) <= 1, "workers share one node config"
    with scratch_dir() as scratch:
        for i, text in enumerate(controller_configs):
            assert len(text.encode()) < 64 * 1024, "DigitalOcean user_data limit"
            ignition_validate(text, tmp_path)
            root = apply_to_root(text, scratch, f"controller{i}")
            assert_controller(root, f"etcd{i}", controllers)
            assert (
                f"nemo-etcd{i}.digital-ocean.example.com"
                in (root / "etc/etcd/etcd.env").read_text()
            )
            assert_kubelet_waits_for_ssh(root)
            assert_no_credentials(root, text, kubeconfig)
        for i, text in enumerate(worker_configs):
            ignition_validate(text, tmp_path)
            root = apply_to_root(text, scratch, f"worker{i}")
            assert not (root / "etc/etcd/etcd.env").exists()
            kubelet_env = (root / "etc/kubernetes/kubelet.env").read_text()
            assert "pool=blue" in kubelet_env and "dedicated=blue:NoSchedule" in kubelet_env
            assert "--cloud-provider=external" in kubelet_env
            assert_kubelet_waits_for_ssh(root)
            assert_no_credentials(root, text, kubeconfig)


@pytest.mark.slow
@pytest.mark.parametrize("os_name", OSES)
@pytest.mark.parametrize(("controllers", "workers"), [(1, 0), (3, 2)])
def test_bare_metal_cluster_applies_offline(
    tmp_path: Path, os_name: str, controllers: int, workers: int
) -> None:
    from typhoon_tf.generate import generate
    from typhoon_tf.testing.harness import verify_module

    config = metal_config(os_name, controllers, workers, tmp_path / "certs")
    # Snippets are per machine: the first controller and the first worker get one each.
    snippets = {"node1": [snippet(os_name, "node1")]} if workers else {}
    if workers:
        snippets[f"node{controllers + 1}"] = [snippet(os_name, f"node{controllers + 1}")]
        config = replace(config, variables=dict(config.variables, snippets=snippets))
    out = generate(config, tmp_path / "cluster")
    result = verify_module(out, workdir=tmp_path / "work")

    flatcar = os_name == "flatcar-linux"
    removed = {b.resource for b in result.removed_blocks}
    assert {"null_resource.copy-controller-secrets", "null_resource.bootstrap"} <= removed
    per_machine = 2 if flatcar else 1  # Flatcar: an install profile/group per machine too
    machine_count = controllers + workers
    assert len(result.resources("matchbox_profile")) == per_machine * machine_count
    assert len(result.resources("matchbox_group")) == per_machine * machine_count
    kubeconfig = result.output("kubeconfig")

    all_machines = config.variables["controllers"] + config.variables["workers"]
    check_groups(result, all_machines, flatcar, config.variables["cluster_name"])
    check_pxe_profiles(result, flatcar)

    controller_configs = configs_of(result, "matchbox_profile.controllers")
    worker_configs = configs_of(result, "matchbox_profile.worker")
    install_configs = configs_of(result, "matchbox_profile.install")
    assert (len(controller_configs), len(worker_configs)) == (controllers, workers)
    assert len(install_configs) == (machine_count if flatcar else 0)
    with scratch_dir() as scratch:
        for i, (machine, text) in enumerate(
            zip(config.variables["controllers"], controller_configs, strict=True)
        ):
            ignition_validate(text, tmp_path)
            root = apply_to_root(text, scratch, f"controller{i}")
            assert (root / "etc/hostname").read_text().strip() == machine["domain"]
            assert_controller(root, machine["name"], controllers)
            assert f"https://{machine['domain']}:2380" in (root / "etc/etcd/etcd.env").read_text()
            assert_kubelet_waits_for_ssh(root)
            assert_no_credentials(root, text, kubeconfig)
            assert_snippet(root, machine["name"], snippets)
        workers_by_name = {m["domain"]: m for m in config.variables["workers"]}
        for i, text in enumerate(worker_configs):
            ignition_validate(text, tmp_path)
            root = apply_to_root(text, scratch, f"worker{i}")
            assert (root / "etc/hostname").read_text().strip() in workers_by_name
            assert not (root / "etc/etcd/etcd.env").exists()
            assert_kubelet_waits_for_ssh(root)
            assert_no_credentials(root, text, kubeconfig)
            machine = workers_by_name[(root / "etc/hostname").read_text().strip()]
            assert_snippet(root, machine["name"], snippets)
        for i, text in enumerate(install_configs):
            ignition_validate(text, tmp_path)
            root = apply_to_root(text, scratch, f"install{i}")
            check_install_root(root, config)
            assert_no_credentials(root, text, kubeconfig)


def assert_snippet(root: Path, name: str, snippets: dict[str, list[str]]) -> None:
    """A machine's own snippet is laid out on it, and no other machine's."""
    found = sorted(p.name for p in (root / "etc/typhoon-snippet").glob("*"))
    assert found == ([name] if name in snippets else [])
    for path in (root / "etc/typhoon-snippet").glob("*"):
        assert path.read_text() == f"from {path.name}"


def check_groups(
    result: Any, all_machines: list[dict[str, str]], flatcar: bool, cluster: str
) -> None:
    """Every machine is selected by its MAC; Flatcar's installed OS by os=installed too.
    Group ids are Typhoon's (Matchbox serves groups by id)."""
    names = sorted(r["values"]["name"] for r in result.resources("matchbox_group"))
    expected = [f"{cluster}-{m['name']}" for m in all_machines]
    if flatcar:
        expected += [f"install-{m['name']}" for m in all_machines]
    assert names == sorted(expected)
    selectors = [r["values"]["selector"] for r in result.resources("matchbox_group")]
    for machine in all_machines:
        mine = [s for s in selectors if s.get("mac") == machine["mac"]]
        if flatcar:
            assert sorted(mine, key=len) == [
                {"mac": machine["mac"]},
                {"mac": machine["mac"], "os": "installed"},
            ]
        else:
            assert mine == [{"mac": machine["mac"]}]


def check_pxe_profiles(result: Any, flatcar: bool) -> None:
    booting = [r["values"] for r in result.resources("matchbox_profile") if r["values"]["kernel"]]
    assert booting, "no profile PXE-boots a kernel"
    for profile in booting:
        args = profile["args"]
        # iPXE variables reach Matchbox literally (Terraform's $${...} escape).
        assert any("/ignition?uuid=${uuid}&mac=${mac:hexhyp}" in a for a in args), args
        if flatcar:
            assert profile["kernel"].startswith("https://stable.release.flatcar-linux.net/")
            assert "flatcar.first_boot=yes" in args
            assert profile["raw_ignition"]
        else:
            assert profile["kernel"].endswith("-live-kernel.x86_64")
            assert "coreos.inst.install_dev=sda" in args
            assert any(a.startswith("coreos.live.rootfs_url=https://") for a in args)
            assert profile["initrd"][0].startswith("--name main https://")


def check_install_root(root: Path, config: ClusterConfig) -> None:
    units = root / "etc/systemd/system"
    installer = (units / "installer.service").read_text()
    macs = [m["mac"] for m in config.variables["controllers"] + config.variables["workers"]]
    url = next(line for line in installer.splitlines() if line.startswith("Environment=IGNITION"))
    assert url.startswith("Environment=IGNITION_URL=http://matchbox.example.com:8080/ignition?")
    assert url.endswith("&os=installed") and any(f"mac={mac}&" in url for mac in macs)
    assert f"Environment=OS_VERSION={FLATCAR_VERSION}\n" in installer
    assert "Environment=OS_CHANNEL=stable\n" in installer
    assert "Environment=INSTALL_DISK=/dev/sda\n" in installer
    dropin = units / "sshd.socket.d" / "10-install-port.conf"
    assert "ListenStream=2222" in dropin.read_text()
    script = (root / "opt/installer").read_text()
    assert "flatcar-install" in script and "systemctl reboot" in script
