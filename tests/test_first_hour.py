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
    lines = err.getvalue().splitlines()
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
