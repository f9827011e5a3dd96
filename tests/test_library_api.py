"""The public library API (`typhoon_tf`): light import, same validation as the YAML
loader, the CLI's rules for writing a root module, node rendering and the driver's errors."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import typhoon_tf as tt
from typhoon_tf.config import parse_cluster_config

EXAMPLE = tt.example_config("aws")
HEAVY = ("yaml", "jsonschema", "jinja2", "boto3", "botocore", "google", "hcl2", "typhoon_tf.")


def test_import_is_light() -> None:
    code = (
        "import sys, typhoon_tf\n"
        f"heavy = {HEAVY!r}\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "print(loaded)\n"
    )
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # typhoon_tf.api itself loads on first use of a public name (start-up of every command)
    assert probe.stdout.strip() == "['typhoon_tf.errors']"


def test_every_public_name_resolves() -> None:
    for name in tt.__all__:
        assert getattr(tt, name) is not None, name
    assert set(tt.__all__) <= set(dir(tt))
    with pytest.raises(AttributeError, match="no attribute 'render_nodes'"):
        _ = tt.render_nodes  # type: ignore[attr-defined]


def test_no_public_name_is_shadowed_by_a_submodule() -> None:
    """Importing `typhoon_tf.<sub>` sets that attribute on the package, replacing a function
    of the same name (why the writer is `generate_root_module`, not `generate`)."""
    submodules = {m.name for m in pkgutil.iter_modules(tt.__path__)}
    assert not set(tt.__all__) & submodules


def test_lazy_classes_are_the_real_ones() -> None:
    from typhoon_tf.config.model import ClusterConfig
    from typhoon_tf.driver.errors import Refused, TerraformFailed
    from typhoon_tf.ignition.problem import Problem

    assert (tt.ClusterConfig, tt.Problem) == (ClusterConfig, Problem)
    assert (tt.Refused, tt.TerraformFailed) == (Refused, TerraformFailed)


def test_name_lists_match_the_packages() -> None:
    from typhoon_tf.nodes import OS_PROFILES, PLATFORM_DELTAS
    from typhoon_tf.nodes import ROLES as NODE_ROLES
    from typhoon_tf.platforms import OPERATING_SYSTEMS, available_platforms

    assert sorted(tt.PLATFORMS) == available_platforms() == sorted(PLATFORM_DELTAS)
    assert tt.OPERATING_SYSTEMS == OPERATING_SYSTEMS
    assert sorted(tt.OPERATING_SYSTEMS) == sorted(OS_PROFILES)
    assert tt.ROLES == NODE_ROLES


# ------------------------------------------------------------------ configs from Python


def _document(**cluster: Any) -> dict[str, Any]:
    return {
        "platform": "aws",
        "os": "fedora-coreos",
        "provider": {"region": "us-east-1"},
        "cluster": {**EXAMPLE.variables, **cluster},
    }


def test_a_python_config_equals_the_yaml_one() -> None:
    document = _document(worker_count=3)
    from_yaml = parse_cluster_config(yaml.safe_dump(document), file="c.yaml", base_dir=None)
    built = tt.cluster_config(
        "aws", "fedora-coreos", document["cluster"], provider={"region": "us-east-1"}
    )
    assert built == tt.cluster_config_from_mapping(document)
    assert built.source == "<python>"
    assert built.__class__(**{**vars(built), "source": "c.yaml"}) == from_yaml


BAD_CLUSTERS: list[dict[str, Any]] = [
    {"worker_count": "2"},
    {"worker_count": -1},
    {"worker_count": 1.5},
    {"controller_count": 0},
    {"cluster_name": "Bad_Name"},
    {"cluster_name": "a-name-far-too-long-for-aws"},
    {"wroker_count": 2},
    {"pod_cidr": "10.3.0.0/16"},
    {"pod_cidr": "not-a-cidr"},
    {"ssh_authorized_key": "ssh-ed25519 AAAA me"},
    {"ssh_authorized_key": "ssh-ed25519 AAAA\nssh-rsa BBBB"},
    {"networking": "weave"},
    {"worker_count": 2**70},
    {"controller_type": None},
    {"worker_node_labels": ["a", 1]},
]


def _where(err: tt.UserError) -> tuple[str | None, str | None, str]:
    return err.file, err.path, err.message


@pytest.mark.parametrize("bad", BAD_CLUSTERS, ids=[json.dumps(b)[:40] for b in BAD_CLUSTERS])
def test_errors_are_the_yaml_loaders(bad: dict[str, Any]) -> None:
    document = _document(**bad)
    with pytest.raises(tt.UserError) as from_yaml:
        parse_cluster_config(yaml.safe_dump(document), file="c.yaml", base_dir=None)
    with pytest.raises(tt.UserError) as from_python:
        tt.cluster_config_from_mapping(document, source="c.yaml")
    yaml_err, py_err = from_yaml.value, from_python.value
    assert _where(py_err) == _where(yaml_err)
    # Positions would point into an intermediate text the caller never saw.
    assert py_err.line is None and py_err.column is None
    assert str(py_err) == f"c.yaml: {py_err.path}: {py_err.message}"


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [
        ({"platform": "aws"}, "(top level)", "missing required key 'os'"),
        ({**_document(), "os": "ubuntu"}, "os", "'ubuntu' is not one of"),
        ({**_document(), "extra": 1}, "extra", "unknown key 'extra'"),
        ({**_document(), "ignition_version": "2.3.0"}, "ignition_version", "support Ignition"),
        (_document(worker_count=float("inf")), "cluster.worker_count", "not a finite number"),
        (_document(worker_count=Path("x")), "cluster.worker_count", "PosixPath values are not"),
        (_document(tags={1: "a"}), "cluster.tags", "mapping keys must be strings, got 1"),
    ],
)
def test_python_mistakes_name_the_key(document: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(tt.UserError) as caught:
        tt.cluster_config_from_mapping(document)
    assert caught.value.file == "<python>"
    assert caught.value.path == path
    assert message in caught.value.message


def test_cycles_and_deep_nesting_get_the_loaders_messages() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(tt.UserError, match="contains itself") as caught:
        tt.cluster_config_from_mapping(_document(worker_node_labels=loop))
    assert caught.value.path == "cluster.worker_node_labels.0"
    deep: list[object] = []
    for _ in range(5000):  # deeper than Python's recursion limit
        deep = [deep]
    with pytest.raises(tt.UserError, match="nested more than 100 levels deep"):
        tt.cluster_config_from_mapping(_document(worker_node_labels=deep))
    shared: list[str] = []  # the same object twice is not a cycle
    config = tt.cluster_config_from_mapping(
        _document(worker_node_labels=shared)
        | {"snippets": {"controller": shared, "worker": shared}}
    )
    assert config.variables["worker_node_labels"] == []


def test_tuples_are_lists_and_paths_in_snippets_are_strings(tmp_path: Path) -> None:
    snippet = tmp_path / "snippets" / "w.bu"
    snippet.parent.mkdir()
    snippet.write_text("variant: fcos\nversion: 1.4.0\n")
    config = tt.cluster_config(
        "aws",
        "fedora-coreos",
        {**EXAMPLE.variables, "worker_node_labels": ("pool=a",)},
        snippets={"worker": [Path("snippets/w.bu")]},
        base_dir=tmp_path,
    )
    assert config.variables["worker_node_labels"] == ["pool=a"]
    assert [s.text for s in config.snippets_for("worker")] == [snippet.read_text()]


def test_snippet_paths_default_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(tt.UserError) as caught:
        tt.cluster_config(
            "aws", "fedora-coreos", EXAMPLE.variables, snippets={"controller": ["missing.bu"]}
        )
    assert caught.value.path == "snippets.controller.0"
    assert "cannot read snippet 'missing.bu'" in caught.value.message


def test_load_cluster_config_with_os(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(_document()))
    assert tt.load_cluster_config(path, os="flatcar-linux").os == "flatcar-linux"


# ----------------------------------------------------------------------------- generate


def test_generate_writes_a_root_module_and_keeps_user_files(tmp_path: Path) -> None:
    out = tt.generate_root_module(EXAMPLE, tmp_path / "tempest")
    assert (out / "main.tf").is_file() and (out / ".typhoon-tf.json").is_file()
    (out / "terraform.tfstate").write_text("{}")
    tt.generate_root_module(EXAMPLE, out)
    assert (out / "terraform.tfstate").read_text() == "{}"


def test_generate_refuses_a_foreign_directory_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "main.tf").write_text("# mine\n")
    with pytest.raises(tt.UserError, match="not generated by typhoon-tf"):
        tt.generate_root_module(EXAMPLE, foreign)
    assert sorted(p.name for p in foreign.iterdir()) == ["main.tf"]
    assert (foreign / "main.tf").read_text() == "# mine\n"


@pytest.mark.parametrize(
    ("backend", "options", "message"),
    [
        (None, {"bucket": "acme-tf"}, "backend_config needs backend="),
        ("gcs", {"bucket": "x"}, "is not a GCS bucket name"),
        ("s3", {"bucket": "acme-tf", "key": "k", "region": "us-east-1"}, "needs a state lock"),
    ],
)
def test_generate_checks_the_backend_before_writing(
    tmp_path: Path, backend: Any, options: dict[str, str], message: str
) -> None:
    with pytest.raises(tt.UserError, match=message):
        tt.generate_root_module(EXAMPLE, tmp_path / "out", backend=backend, backend_config=options)
    assert not (tmp_path / "out").exists()


def test_generate_with_a_backend(tmp_path: Path) -> None:
    out = tt.generate_root_module(
        EXAMPLE, tmp_path / "t", backend="gcs", backend_config={"bucket": "acme-tf"}
    )
    assert 'backend "gcs"' in (out / "backend.tf").read_text()


# -------------------------------------------------------------------------------- nodes


def test_render_node_takes_the_config_values() -> None:
    key = EXAMPLE.variables["ssh_authorized_key"]
    config = tt.cluster_config(
        "aws",
        "flatcar-linux",
        {**EXAMPLE.variables, "service_cidr": "10.99.0.0/16", "pod_cidr": "10.2.0.0/16"},
        ignition_version="2.3.0",
    )
    worker = tt.render_node(config, "worker")
    assert worker["ignition"]["version"] == "2.3.0"
    assert tt.validate_ignition(worker) == []
    text = tt.ignition_json(worker)
    assert key.split()[1] in text
    assert "10.99.0.10" in json.dumps(worker) or "10.99.0.10" in _decoded_files(worker)


def _decoded_files(config: dict[str, Any]) -> str:
    import base64
    import gzip
    import urllib.parse

    texts = []
    for entry in config.get("storage", {}).get("files", []):
        source = (entry.get("contents") or {}).get("source") or ""
        head, _, data = source.partition(",")
        raw = (
            base64.b64decode(data)
            if head.endswith(";base64")
            else urllib.parse.unquote(data).encode()
        )
        if entry.get("contents", {}).get("compression") == "gzip":
            raw = gzip.decompress(raw)
        texts.append(raw.decode(errors="replace"))
    return "\n".join(texts)


def test_render_node_rejects_unknown_values() -> None:
    with pytest.raises(tt.UserError, match="have no value 'etcd_name'"):
        tt.render_node(EXAMPLE, "worker", {"etcd_name": "etcd0"})


def test_rendered_nodes_match_the_generated_templates() -> None:
    """`render_node` and the module generator agree on which holes a node has."""
    from typhoon_tf.nodes import NodeOptions, node_template

    for role in tt.ROLES:
        template = node_template("aws", "fedora-coreos", role, NodeOptions())
        rendered = tt.render_node(EXAMPLE, role)
        assert rendered["ignition"]["version"] == template.ignition_version


# ---------------------------------------------------------------------- butane/ignition


def test_butane_and_ignition() -> None:
    ignition = tt.transpile_butane("variant: fcos\nversion: 1.4.0\n")
    assert tt.ignition_json(ignition) == '{"ignition":{"version":"3.3.0"}}'
    assert tt.validate_ignition({"ignition": {"version": "3.3.0"}, "bogus": 1}) == []
    warnings = tt.validate_ignition({"ignition": {"version": "3.3.0"}, "bogus": 1}, warnings=True)
    assert [w.is_error for w in warnings] == [False]
    with pytest.raises(tt.UserError) as caught:
        tt.check_ignition({"ignition": {"version": "9.0.0"}}, source="x.ign")
    assert (caught.value.file, caught.value.path) == ("x.ign", "ignition.version")


# ------------------------------------------------------------------------------- driver


def test_driver_functions_name_a_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    for call in (tt.terraform_init, tt.terraform_plan, tt.terraform_apply, tt.terraform_outputs):
        with pytest.raises(tt.UserError, match="no such directory"):
            call(missing)


def test_driver_unknown_preflight_check_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(tt.UserError, match="unknown check"):
        tt.terraform_plan(tmp_path, skip_preflight={"dns"})
