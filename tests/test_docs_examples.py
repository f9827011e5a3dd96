"""Every config shown in the README and docs is a file under docs/examples/ that generates
(or, for a Butane snippet, transpiles strictly) as it is; and the snippets-as-variables
program explains itself when typhoon-tf is not on PATH (issue 14 §1)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from typhoon_tf.cli import main
from typhoon_tf.generate.external_program import EXTERNAL_PROGRAM, MISSING_MESSAGE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
# Pages whose yaml blocks are configs (cluster configs, their parts, Butane snippets); the
# getting-started pages embed the embedded examples from typhoon_tf/config/examples.
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CONFIG_KEYS = re.compile(r"^(platform|cluster|snippets|variant|ignition_version):", re.M)


def _example_files() -> list[Path]:
    return sorted([*EXAMPLES.rglob("*.yaml"), *EXAMPLES.rglob("*.bu")])


def _config_blocks() -> list[tuple[Path, str]]:
    found = []
    for page in PAGES:
        for block in re.findall(r"```yaml\n(.*?)```", page.read_text(), re.S):
            if CONFIG_KEYS.search(block):
                found.append((page, block))
    return found


def test_the_readme_and_docs_show_configs() -> None:
    pages = {page.name for page, _ in _config_blocks()}
    assert {"README.md", "snippets.md", "coordinated-updates.md"} <= pages


@pytest.mark.parametrize(
    ("page", "block"),
    _config_blocks(),
    ids=lambda v: v.name if isinstance(v, Path) else "",
)
def test_every_config_in_the_docs_is_part_of_an_example_file(page: Path, block: str) -> None:
    sources = [p for p in _example_files() if block in p.read_text()]
    assert sources, f"a config in {page.name} is in no docs/examples file:\n{block}"


def test_the_readme_shows_its_example_whole() -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"```yaml\n{(EXAMPLES / 'cluster.yaml').read_text()}```" in readme
    assert "](docs/examples/cluster.yaml)" in readme


@pytest.mark.parametrize("config", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_cluster_config_generates_as_it_is(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    before = config.read_bytes()
    assert main(["generate", "-c", str(config), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # not the example-values warning, no other warning
    assert (out / "main.tf").is_file()
    assert config.read_bytes() == before


@pytest.mark.parametrize("snippet", sorted(EXAMPLES.glob("snippets/*.bu")), ids=lambda p: p.name)
def test_every_example_snippet_transpiles_strictly(
    snippet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["butane", "--strict", str(snippet)]) == 0
    assert json.loads(capsys.readouterr().out)["ignition"]["version"].startswith("3.")


def test_the_readme_says_how_to_get_the_cli_on_path() -> None:
    readme = (ROOT / "README.md").read_text()
    use_it = readme.split("## Use it", 1)[1]
    assert use_it.index('export PATH="$PWD/.venv/bin:$PATH"') < use_it.index("typhoon-tf generate")


# -- snippets as Terraform variables: the external program ---------------------------------

QUERY = json.dumps(
    {"snippets": json.dumps(["variant: fcos\nversion: 1.4.0\n"]), "variant": "fcos"}
    | {"ignition_version": "3.3.0"}
)
SH = shutil.which("sh")


def _run_program(path: str) -> subprocess.CompletedProcess[str]:
    assert SH is not None
    env = {k: v for k, v in os.environ.items() if k != "PATH"} | {"PATH": path}
    program = [SH, *EXTERNAL_PROGRAM[1:]]  # `sh` itself from wherever this machine has it
    return subprocess.run(
        program, input=QUERY, capture_output=True, text=True, env=env, check=False, timeout=120
    )


@pytest.mark.skipif(SH is None, reason="no POSIX sh")
def test_without_typhoon_tf_on_path_the_program_says_why_and_how_to_fix(tmp_path: Path) -> None:
    result = _run_program(str(tmp_path))  # an empty PATH directory: no typhoon-tf
    assert result.returncode == 127
    assert result.stdout == ""
    assert result.stderr == MISSING_MESSAGE + "\n"
    assert "snippets: in cluster.yaml" in result.stderr and "PATH" in result.stderr


@pytest.mark.skipif(SH is None, reason="no POSIX sh")
def test_with_typhoon_tf_on_path_the_program_transpiles(tmp_path: Path) -> None:
    cli = shutil.which("typhoon-tf") or str(ROOT / ".venv" / "bin" / "typhoon-tf")
    assert Path(cli).is_file(), "typhoon-tf is installed by the test set-up"
    (tmp_path / "typhoon-tf").symlink_to(cli)
    result = _run_program(f"{tmp_path}:/usr/bin:/bin")
    assert result.returncode == 0, result.stderr
    urls = json.loads(json.loads(result.stdout)["data_urls"])
    assert len(urls) == 1 and urls[0].startswith("data:;base64,")


def test_every_generated_snippet_data_source_runs_the_explaining_program() -> None:
    from typhoon_tf import hcl

    rendered = hcl.render_value(list(EXTERNAL_PROGRAM))
    sources = [
        p
        for p in (ROOT / "modules").rglob("*.tf")
        if 'data "external"' in p.read_text() and "snippets" in p.read_text()
    ]
    assert len(sources) >= 10
    for path in sources:
        text = path.read_text()
        assert '["typhoon-tf", "external", "butane"]' not in text, path
        assert rendered.replace("\n", "\n  ") in text, path


def test_module_readmes_say_where_typhoon_tf_must_be() -> None:
    readme = (ROOT / "modules/aws/fedora-coreos/kubernetes/README.md").read_text()
    assert "## Snippets as variables need typhoon-tf where Terraform runs" in readme
    assert "Terraform Cloud, Spacelift, Atlantis" in readme
    assert "`snippets:` in `cluster.yaml`" in readme
