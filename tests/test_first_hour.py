"""A newcomer's first hour (issue 14 §1): extras and install hints, preflight without an SDK,
the root-module reader, and the messages a first try meets."""

from __future__ import annotations

import ast
import io
import re
import sys
import tomllib
from pathlib import Path

import pytest

from typhoon_tf.cli import main
from typhoon_tf.driver.rootmodule import VarRef, read_root_settings
from typhoon_tf.errors import UserError
from typhoon_tf.install_hint import install_command

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "driver"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

# -- the verify extra and install hints ----------------------------------------------------

# import name -> distribution, for the imports the harness makes
DISTRIBUTIONS = {
    "yaml": "PyYAML",
    "jinja2": "Jinja2",
    "hcl2": "python-hcl2",
    "lark": "lark",
    "tf": "tf",
    "grpc": "grpcio",
    "msgpack": "msgpack",
    "cryptography": "cryptography",
    "jsonschema": "jsonschema",
}


def _third_party_imports(package: Path) -> set[str]:
    found: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {n.split(".")[0] for n in names}
    return {n for n in found if n not in sys.stdlib_module_names and n != "typhoon_tf"}


def _declared(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!\[ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_the_verify_extra_declares_every_import_of_the_harness() -> None:
    # pytest is imported by the pytest plugin only, which verify never loads.
    imports = _third_party_imports(ROOT / "typhoon_tf" / "testing") - {"pytest"}
    project = PYPROJECT["project"]
    declared = _declared(project["dependencies"]) | _declared(
        project["optional-dependencies"]["verify"]
    )
    undeclared = {n for n in imports if DISTRIBUTIONS.get(n, n).lower() not in declared}
    assert not undeclared, f"imported by typhoon_tf/testing, not in [verify]: {undeclared}"
    assert {"msgpack", "lark"} <= _declared(project["optional-dependencies"]["verify"])
    # The test extra builds on it rather than repeating it.
    assert "typhoon-tf[verify]" in project["optional-dependencies"]["test"]


def test_the_verify_command_checks_for_every_module_of_the_extra() -> None:
    from typhoon_tf.cli.verify_cmd import REQUIRED_MODULES

    verify = _declared(PYPROJECT["project"]["optional-dependencies"]["verify"])
    wanted = {name for name, dist in DISTRIBUTIONS.items() if dist.lower() in verify}
    assert set(REQUIRED_MODULES) == wanted


def test_setup_installs_the_verify_extra_by_default_and_says_how_to_reach_the_cli() -> None:
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    default_install = setup.rsplit("\nelse\n", 1)[1].split("\nfi\n", 1)[0]
    assert "-e '.[verify]'" in default_install and "-c requirements-ci.txt" in default_install
    assert 'echo "  export PATH=\\"$PWD/.venv/bin:\\$PATH\\""' in setup


def test_every_extra_of_the_test_extra_is_pinned_for_ci() -> None:
    pins = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "requirements-ci.txt").read_text().splitlines()
        if "==" in line
    }
    test = PYPROJECT["project"]["optional-dependencies"]["test"]
    unpinned = _declared(test) - pins - {"typhoon-tf"}
    assert not unpinned
    assert {"google-cloud-compute", "google-cloud-dns", "python-hcl2"} <= pins


@pytest.mark.parametrize("extra", ["verify", "aws", "gcp"])
def test_install_hints_are_commands_that_work_from_the_checkout(extra: str) -> None:
    hint = install_command(extra, cwd=ROOT)
    assert hint == f".venv/bin/pip install -c requirements-ci.txt -e '.[{extra}]'" or (
        # a venv elsewhere (CI's fresh clone has its own .venv, so this is the local case)
        hint.endswith(f"install -c requirements-ci.txt -e '.[{extra}]'")
    )
    assert extra in PYPROJECT["project"]["optional-dependencies"]
    pip = hint.split(" install ")[0].split(" -m ")[0]
    assert (ROOT / pip).is_file() or Path(pip).is_file()
    assert "typhoon-tf[" not in hint  # not a published package


def test_install_hints_from_elsewhere_name_the_checkout(tmp_path: Path) -> None:
    hint = install_command("gcp", cwd=tmp_path)
    assert f"-c {ROOT}/requirements-ci.txt -e '{ROOT}[gcp]'" in hint


def test_no_message_or_doc_names_the_unpublished_package() -> None:
    texts = [p.read_text() for p in (ROOT / "typhoon_tf").rglob("*.py")]
    texts += [(ROOT / "README.md").read_text()]
    texts += [p.read_text() for p in (ROOT / "docs").rglob("*.md")]
    assert not [t for t in texts if "install 'typhoon-tf[" in t]


def test_verify_without_its_extra_says_which_command_installs_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "msgpack", None)
    monkeypatch.chdir(ROOT)
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "msgpack" else real_find_spec(name, *a),
    )
    assert main(["verify", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "needs the [verify] extra (msgpack missing)" in err
    assert "install -c requirements-ci.txt -e '.[verify]'" in err
    assert list(tmp_path.iterdir()) == []


# -- preflight without the optional SDK ----------------------------------------------------


def test_gcp_plan_preflight_warns_without_the_gcp_extra_and_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typhoon_tf.driver.workflow import Options, preflight

    for name in ("google.cloud.compute_v1", "google.cloud.dns", "google.api_core.exceptions"):
        monkeypatch.setitem(sys.modules, name, None)
    err = io.StringIO()
    before = sorted(p.name for p in (DATA / "gcp_root").iterdir())
    opts = Options(DATA / "gcp_root", skip_preflight={"ssh-agent"}, err=err, env={})
    try:
        preflight(opts)  # returns the binary: no exception although nothing was checked
    except UserError as problem:  # only the terraform check may stop it (no binary here)
        assert "preflight terraform" in str(problem)
    lines = [line for line in err.getvalue().splitlines() if "warning" in line]
    assert len(lines) == 1
    assert lines[0].startswith(
        "typhoon-tf: warning: preflight gcp: not checked (the Google Cloud project and the "
        "Cloud DNS zone dns_zone_name): this check needs the 'google.cloud.compute_v1' library "
        "(the [gcp] extra): "
    )
    assert sorted(p.name for p in (DATA / "gcp_root").iterdir()) == before


# -- the root-module reader (python-hcl2) --------------------------------------------------


def test_the_reader_takes_what_a_line_scanner_could_not(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "digitalocean" { token = var.token }\n'
        'module "nemo" { source = "./modules/digital-ocean/flatcar-linux/kubernetes"\n'
        '  ssh_fingerprints = ["d7:9d:79:ae:56:32:73:79:95:88:e3:a2:ab:5d:45:e7"]\n'
        "  worker_count = 2 }\n"
    )
    (tmp_path / "terraform.tfvars").write_text('token = "t0"\n')
    settings = read_root_settings(tmp_path)
    assert settings.platform == "digital-ocean"
    assert settings.provider == {"token": "t0"}  # a var resolved through terraform.tfvars
    assert settings.get("ssh_fingerprints") == ["d7:9d:79:ae:56:32:73:79:95:88:e3:a2:ab:5d:45:e7"]
    assert settings.get("worker_count") == 2


def test_var_references_stay_references_until_resolved(tmp_path: Path) -> None:
    from typhoon_tf.driver import rootmodule

    assert rootmodule._hcl2_value("${var.zone}") == VarRef("zone")
    assert rootmodule._hcl2_value('"${var.zone}"') == VarRef("zone")
    assert rootmodule._hcl2_value('"a-${var.zone}"') is None
    assert rootmodule._hcl2_value('"<<EOT\nx\nEOT"') is None


def test_unparsable_hcl_is_one_line_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "main.tf").write_text('module "x" {\n  source = \n}\n')
    before = (tmp_path / "main.tf").read_bytes()
    assert main(["plan", "-C", str(tmp_path), "--skip-preflight", "terraform"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"typhoon-tf: error: {tmp_path}/main.tf: cannot parse: ")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert (tmp_path / "main.tf").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.tf"]


# -- messages a first try meets --------------------------------------------------------------

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh me@laptop"


def _cluster_yaml(extra_cluster: str = "", tail: str = "") -> str:
    return (
        "platform: aws\nos: fedora-coreos\nprovider:\n  region: us-east-1\ncluster:\n"
        "  cluster_name: tempest\n  dns_zone: aws.example.com\n  dns_zone_id: Z0EXAMPLE\n"
        f"  ssh_authorized_key: {KEY}\n{extra_cluster}{tail}"
    )


def _generate_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: Path, *more: str
) -> str:
    out = tmp_path / "out"
    before = config.read_bytes()
    assert main(["generate", "-c", str(config), "-o", str(out), *more]) == 2
    assert not out.exists()  # nothing written
    assert config.read_bytes() == before
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def test_an_unknown_key_is_pointed_at_with_the_nearest_valid_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cluster.yaml").write_text(_cluster_yaml("  worker_cont: 2\n"))
    err = _generate_error(tmp_path, capsys, Path("cluster.yaml"))
    assert err == (
        "typhoon-tf: error: cluster.yaml:10:3: cluster.worker_cont: unknown key 'worker_cont'; "
        "did you mean `worker_count`?\n"
    )


def test_an_unknown_key_far_from_every_valid_one_gets_no_guess(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cluster.yaml").write_text(_cluster_yaml("  zzzz: 2\n"))
    err = _generate_error(tmp_path, capsys, Path("cluster.yaml"))
    assert err.endswith("cluster.zzzz: unknown key 'zzzz'\n")


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ("  worker_count: two\n", "10:3: cluster.worker_count: expected a number"),
        # a block mapping: the key's line, not its first child's
        ("  controller_type:\n    a: 1\n", "10:3: cluster.controller_type: expected a string"),
        ("  controller_type: {a: 1}\n", "10:3: cluster.controller_type: expected a string"),
    ],
)
def test_errors_point_at_the_key_not_its_value(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: str,
    where: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cluster.yaml").write_text(_cluster_yaml(extra))
    err = _generate_error(tmp_path, capsys, Path("cluster.yaml"))
    assert err.startswith(f"typhoon-tf: error: cluster.yaml:{where}")


def test_snippet_errors_name_the_snippet_relatively_and_no_strict_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("site/snippets").mkdir(parents=True)
    Path("site/snippets/unit.bu").write_text(
        "variant: fcos\nversion: 1.4.0\nsystemd:\n  units:\n    - name: foo.service\n"
        '      contents: "[Unit]\\nDescription=x\\n[Service]\\nExecStart=/bin/true\\n"\n'
        "      enabled: true\n"
    )
    Path("site/cluster.yaml").write_text(
        _cluster_yaml(tail="snippets:\n  worker: [snippets/unit.bu]\n")
    )
    err = _generate_error(tmp_path, capsys, Path("site/cluster.yaml"))
    assert err.startswith("typhoon-tf: error: site/snippets/unit.bu:6:17: ")
    assert "--strict" not in err  # generate has no such option
    assert err.endswith("(snippets and node configs must translate without warnings)\n")
    # The butane command has the option, and says so.
    assert main(["butane", "--strict", "site/snippets/unit.bu"]) == 2
    assert capsys.readouterr().err.endswith("(warnings are errors with --strict)\n")


def test_a_newer_snippet_names_the_ignition_version_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("new.bu").write_text("variant: fcos\nversion: 1.5.0\n")
    Path("cluster.yaml").write_text(_cluster_yaml(tail="snippets:\n  worker: [new.bu]\n"))
    err = _generate_error(tmp_path, capsys, Path("cluster.yaml"))
    assert "cluster.yaml:11:12: snippets.worker.0: 'new.bu'" in err
    assert "set the top-level `ignition_version` to 3.4.0 or 3.5.0" in err


def test_output_without_state_says_nothing_was_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from typhoon_tf.terraform_binary import DEFAULT_NAMES, executable

    if not any(executable(n) for n in DEFAULT_NAMES):
        pytest.skip("no terraform or tofu on PATH")
    (tmp_path / "main.tf").write_text('output "x" {\n  value = 1\n}\n')
    before = sorted(p.name for p in tmp_path.iterdir())
    for argv in (["output", "-C", str(tmp_path)], ["output", "-C", str(tmp_path), "x"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.splitlines()[-1] == (
            f"typhoon-tf: error: {tmp_path}: no outputs: there is no Terraform state here yet "
            f"(nothing applied); run `typhoon-tf apply -C {tmp_path}` first"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_modules_help_shows_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["modules", "--help"])
    assert exit_.value.code == 0
    assert "(default: modules)" in capsys.readouterr().out


def _schema_refs() -> list[tuple[Path, str]]:
    files = [*(ROOT / "typhoon_tf/config/examples").glob("*.yaml")]
    files += [*(ROOT / "docs/examples").glob("*.yaml")]
    refs = []
    for path in files:
        match = re.search(r"yaml-language-server: \$schema=(\S+)", path.read_text())
        assert match, f"{path} has no $schema line"
        refs.append((path, match.group(1)))
    return refs


def test_every_example_schema_reference_resolves_to_the_schema_file() -> None:
    for path, ref in _schema_refs():
        assert "://" not in ref, f"{path}: {ref} is not served anywhere; use a relative path"
        assert (path.parent / ref).resolve() == ROOT / "docs" / "cluster.schema.json", path


@pytest.mark.parametrize("platform", ["aws", "google-cloud", "bare-metal"])
def test_generating_the_example_warns_about_its_placeholder_values(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    platform: str,
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    assert main(["generate", platform, "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"wrote {out}/")
    warning = captured.err.splitlines()
    assert len(warning) == 1
    assert warning[0].startswith(
        f"typhoon-tf: warning: no -c given: this is the embedded example "
        f"(typhoon_tf/config/examples/{platform}.yaml) and its values are placeholders"
    )
    assert "cluster.ssh_authorized_key" in warning[0]
    assert "cluster.cluster_name" not in warning[0]
    if platform == "bare-metal":
        assert "cluster.controllers, cluster.workers, and generate with -c" in warning[0]
    else:
        assert "cluster.dns_zone" in warning[0]
    if platform == "aws":
        assert "cluster.dns_zone_id" in warning[0] and "provider.region" in warning[0]


def test_generating_a_given_config_has_no_example_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cluster.yaml").write_text(_cluster_yaml())
    assert main(["generate", "-c", str(tmp_path / "cluster.yaml"), "-o", str(tmp_path / "o")]) == 0
    assert capsys.readouterr().err == ""


# -- node-config takes the cluster config too ------------------------------------------------


def test_node_config_takes_the_cluster_config_generate_takes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    cluster = tmp_path / "cluster.yaml"
    cluster.write_text(_cluster_yaml(tail='ignition_version: "3.4.0"\n'))
    before = cluster.read_bytes()
    assert main(["node-config", "--role", "worker", "-c", str(cluster)]) == 0
    rendered = json.loads(capsys.readouterr().out)
    assert rendered["ignition"]["version"] == "3.4.0"  # the config's setting
    users = rendered["passwd"]["users"]
    assert users[0]["sshAuthorizedKeys"] == [KEY]  # the config's key, not the example's
    # --platform/--os may be given, and must agree with the config.
    argv = ["node-config", "--platform", "aws", "--os", "fedora-coreos", "--role", "worker"]
    assert main([*argv, "-c", str(cluster)]) == 0
    capsys.readouterr()
    assert main(["node-config", "--platform", "azure", "--role", "worker", "-c", str(cluster)]) == 2
    assert capsys.readouterr().err == (
        f"typhoon-tf: error: {cluster}: platform: is 'aws', not --platform azure\n"
    )
    assert main(["node-config", "-c", str(cluster)]) == 2
    assert "missing --role" in capsys.readouterr().err
    assert cluster.read_bytes() == before


def test_node_settings_with_an_unknown_key_suggest_the_nearest_and_the_cluster_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "node.yaml"
    settings.write_text("etcd_nme: etcd1\n")
    argv = ["node-config", "--platform", "aws", "--os", "fedora-coreos", "--role", "controller"]
    assert main([*argv, "-c", str(settings)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"typhoon-tf: error: {settings}:1:1: etcd_nme: unknown node setting; did you mean "
        "`etcd_name`? (expected one of: "
    )
    assert err.rstrip().endswith("or give a cluster config, with platform and cluster)")


# -- which Terraform runs ------------------------------------------------------------------


def _fake_terraform(directory: Path, version: str, name: str = "terraform") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f'#!/bin/sh\necho \'{{"terraform_version": "{version}"}}\'\n')
    path.chmod(0o755)
    return path


def _root(directory: Path, required: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    versions = f'terraform {{\n  required_version = "{required}"\n}}\n' if required else ""
    (directory / "main.tf").write_text(versions + 'output "x" {\n  value = 1\n}\n')
    return directory


def test_the_newest_terraform_that_satisfies_the_module_runs_not_the_first_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typhoon_tf.driver.workflow import Options, preflight

    old = _fake_terraform(tmp_path / "venv" / "bin", "1.0.3")
    new = _fake_terraform(tmp_path / "usr" / "bin", "1.11.4")
    monkeypatch.setenv("PATH", f"{old.parent}:{new.parent}")
    monkeypatch.delenv("TYPHOON_TF_TERRAFORM", raising=False)
    root = _root(tmp_path / "root")
    err = io.StringIO()
    opts = Options(root, skip_preflight={"ssh-agent", "aws", "gcp"}, err=err)
    assert preflight(opts).path == new
    assert err.getvalue() == (
        f"typhoon-tf: using terraform 1.11.4 ({new}; the newest of 2 found that satisfies "
        f">= 1.3.0; not used: 1.0.3 at {old})\n"
    )
    assert sorted(p.name for p in root.iterdir()) == ["main.tf"]


def test_the_module_constraint_decides_between_newer_binaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typhoon_tf.terraform_binary import choose_binary

    pinned = _fake_terraform(tmp_path / "a", "1.5.7")
    _fake_terraform(tmp_path / "b", "1.11.4")
    tofu = _fake_terraform(tmp_path / "c", "1.8.0", name="tofu")
    monkeypatch.setenv("PATH", f"{tmp_path / 'b'}:{tmp_path / 'a'}:{tofu.parent}")
    monkeypatch.delenv("TYPHOON_TF_TERRAFORM", raising=False)
    choice = choose_binary(directory=_root(tmp_path / "root", "~> 1.5.0"))
    assert choice.binary.path == pinned
    assert choice.reason.startswith("the newest of 3 found that satisfies ~> 1.5.0")
    # Named binaries win whatever their version: the command line, then the variable.
    assert choose_binary(str(tofu)).reason == "named by the command line"
    named = choose_binary(env={"TYPHOON_TF_TERRAFORM": str(pinned)})
    assert (named.binary.path, named.reason) == (pinned, "named by $TYPHOON_TF_TERRAFORM")


def test_without_a_binary_that_fits_the_driver_names_the_one_it_found_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _fake_terraform(tmp_path / "bin", "1.0.3")
    monkeypatch.setenv("PATH", str(old.parent))
    monkeypatch.delenv("TYPHOON_TF_TERRAFORM", raising=False)
    root = _root(tmp_path / "root")
    assert main(["init", "-C", str(root)]) == 2
    assert capsys.readouterr().err == (
        f"typhoon-tf: error: preflight terraform: {old} is version 1.0.3; typhoon-tf needs "
        ">= 1.3 (none of the 1 found satisfies >= 1.3.0; the newest); name one with --binary "
        "(skip this check with --skip-preflight terraform)\n"
    )
    assert sorted(p.name for p in root.iterdir()) == ["main.tf"]


@pytest.mark.parametrize(
    ("version", "constraint", "ok"),
    [
        ((1, 11, 4), ">= 1.3.0, < 2.0.0", True),
        ((1, 0, 3), ">= 1.3.0, < 2.0.0", False),
        ((1, 5, 9), "~> 1.5.0", True),
        ((1, 6, 0), "~> 1.5.0", False),
        ((1, 9, 0), "~> 1.5", True),
        ((2, 0, 0), "~> 1.5", False),
        ((1, 4, 0), "!= 1.4.0", False),
        ((1, 4, 0), "1.4.0", True),
    ],
)
def test_version_constraints(version: tuple[int, ...], constraint: str, ok: bool) -> None:
    from typhoon_tf.terraform_binary import satisfies

    assert satisfies(version, constraint) is ok


def test_verify_prints_the_terraform_it_chose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from typhoon_tf.cli.verify_cmd import chosen_terraform

    new = _fake_terraform(tmp_path / "usr", "1.11.4")
    monkeypatch.setenv("PATH", str(new.parent))
    monkeypatch.delenv("TYPHOON_TF_TERRAFORM", raising=False)
    assert chosen_terraform(None, _root(tmp_path / "root")).path == new
    assert capsys.readouterr().out.startswith(
        f"terraform 1.11.4 ({new}; the newest of "  # the PyPI 1.0.3 may be counted too
    )
    assert chosen_terraform(str(new), tmp_path / "root").path == new
    assert capsys.readouterr().out == f"terraform 1.11.4 ({new}; named by the command line)\n"
