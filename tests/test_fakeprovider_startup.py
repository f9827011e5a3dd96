"""What a fake provider process does at start-up (Terraform starts each one two or three times
per command, so this is most of a cycle's cost): the facts file is read from a cache that can
never be stale, `yaml`/`cryptography` stay unimported where not needed, and the TLS
certificate is reused while valid and renewed when not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from typhoon_tf.testing import mirror
from typhoon_tf.testing.fakeprovider import facts
from typhoon_tf.testing.fakeprovider import main as fake_main

FACTS_YAML = Path(facts.__file__).with_name(facts.FACTS_FILE)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    facts.load_facts.cache_clear()
    yield tmp_path
    facts.load_facts.cache_clear()


def test_facts_from_cache_equal_the_yaml(cache_home: Path) -> None:
    expected = yaml.safe_load(FACTS_YAML.read_text())
    assert facts.load_facts() == expected
    cached = list((cache_home / "typhoon-tf" / "provider-facts").glob("*.json"))
    assert len(cached) == 1
    facts.load_facts.cache_clear()
    assert facts.load_facts() == expected  # now served from the JSON


def test_a_corrupt_or_foreign_cache_is_never_served(cache_home: Path) -> None:
    facts.load_facts()
    (cached,) = (cache_home / "typhoon-tf" / "provider-facts").glob("*.json")
    cached.write_text("{not json")
    facts.load_facts.cache_clear()
    assert facts.load_facts() == yaml.safe_load(FACTS_YAML.read_text())
    assert json.loads(cached.read_text())  # rewritten
    # A cache written for other YAML text has another name: an edit can never read it.
    (cached.parent / "0000000000000000.json").write_text(json.dumps({"aws_vpc": {}}))
    facts.load_facts.cache_clear()
    assert facts.load_facts()["aws_instance"]


def test_an_unwritable_cache_only_costs_speed(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, text: str) -> None:
        raise PermissionError(13, "read-only", str(path))

    monkeypatch.setattr(facts, "_write_atomically", refuse)
    assert facts.load_facts() == yaml.safe_load(FACTS_YAML.read_text())


def _modules_after_import(tmp_path: Path, schema: str) -> set[str]:
    """Top-level modules a fake's launcher has loaded once the fake is ready to serve."""
    root = tmp_path / "mirror"
    built = mirror.build_mirror(root, {schema: ""}, prefer_fake=[schema])
    (choice,) = built.choices
    launcher = next(root.rglob(f"terraform-provider-{choice.type_name}_*"))
    probe = launcher.read_text().replace(
        "main(", "import sys as _s; print(sorted({m.split('.')[0] for m in _s.modules})) #"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    out = subprocess.run(
        [sys.executable, "-S", "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    loaded: set[str] = set(json.loads(out.stdout.replace("'", '"')))
    return loaded


@pytest.mark.parametrize("provider", ["hashicorp/aws", "hashicorp/random", "hashicorp/google"])
def test_cloud_fakes_load_neither_yaml_nor_cryptography(tmp_path: Path, provider: str) -> None:
    loaded = _modules_after_import(tmp_path, provider)
    assert "grpc" in loaded  # the probe ran where the fake would serve
    assert not {"yaml", "cryptography", "site"} & loaded


def test_launcher_runs_without_site_on_this_processs_path(tmp_path: Path) -> None:
    built = mirror.build_mirror(tmp_path, {"hashicorp/aws": ""}, prefer_fake=["hashicorp/aws"])
    launcher = next(tmp_path.rglob("terraform-provider-aws_*")).read_text()
    assert launcher.splitlines()[0] == f"#!{sys.executable} -S"
    assert built.choices[0].kind == "fake"


# -- the gRPC server certificate --------------------------------------------------------------


@pytest.fixture
def cert_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_certificate_made_once_then_reused(
    cert_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[int] = []
    original = fake_main._tf_self_signed_cert

    def counting() -> tuple[bytes, Any]:
        made.append(1)
        return original()

    monkeypatch.setattr(fake_main, "_tf_self_signed_cert", counting)
    first, _ = fake_main._server_certificate()
    second, _ = fake_main._server_certificate()
    assert made == [1]
    assert first == second
    expiry = json.loads(fake_main._expiry_file().read_text())
    assert expiry["not_after"] > time.time() + 24 * 3600


def test_certificate_near_expiry_or_replaced_is_renewed(
    cert_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = fake_main._server_certificate()
    record = fake_main._expiry_file()
    made: list[int] = []
    original = fake_main._tf_self_signed_cert

    def counting() -> tuple[bytes, Any]:
        made.append(1)
        return original()

    monkeypatch.setattr(fake_main, "_tf_self_signed_cert", counting)
    doc = json.loads(record.read_text())
    record.write_text(json.dumps(dict(doc, not_after=time.time() + 60)))
    renewed, _ = fake_main._server_certificate()
    assert made == [1]
    assert renewed != first  # within the margin: a new certificate, not the cached one
    doc = json.loads(record.read_text())
    record.write_text(json.dumps(dict(doc, sha256="0" * 64)))
    again, _ = fake_main._server_certificate()
    assert made == [1, 1]  # the record is for another certificate: `tf` is asked
    assert again == renewed  # ... and hands back its cached one, still fresh


def test_a_stale_certificate_tf_cached_without_our_record_is_replaced(
    cert_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = fake_main._server_certificate()
    fake_main._expiry_file().unlink()
    # tf's cache holds a certificate about to expire (an earlier run's, say).
    monkeypatch.setattr(fake_main, "_CERT_MARGIN_SECONDS", 8 * 24 * 3600)
    replaced, _ = fake_main._server_certificate()
    assert replaced != first


def test_facts_that_json_cannot_carry_exactly_are_not_cached(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime

    monkeypatch.setattr(facts, "_parse_yaml", lambda text: {"t": {"since": datetime.date.today()}})
    assert facts.load_facts() == {"t": {"since": datetime.date.today()}}
    facts.load_facts.cache_clear()
    monkeypatch.setattr(facts, "_parse_yaml", lambda text: {1: {"a": 1}})
    loaded: object = facts.load_facts()
    assert loaded == {1: {"a": 1}}
    assert not (cache_home / "typhoon-tf" / "provider-facts").exists()
