"""Broken input never escapes as anything but a Problem or a UserError."""

from __future__ import annotations

import copy
import random

import pytest
from test_ignition_agreement import BASE, mutate

from typhoon_tf.errors import UserError
from typhoon_tf.ignition.downconvert import downconvert
from typhoon_tf.ignition.merge import merge
from typhoon_tf.ignition.validate import validate

VERSIONS = ["3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.5.0", "2.3.0"]


@pytest.mark.parametrize("version", VERSIONS)
def test_mutated_configs_only_give_problems_or_user_errors(version: str) -> None:
    rng = random.Random(f"robust-{version}")
    base = copy.deepcopy(BASE)
    base["ignition"]["version"] = version
    for _ in range(80):
        config = mutate(base, rng)
        validate(config, warnings=True)
        try:
            out = downconvert(config)
        except UserError:
            pass
        else:
            assert validate(out) == []
        if version.startswith("3.") and not validate(config):
            merge(base, config)
            merge(config, base)


@pytest.mark.parametrize("value", [None, 1, "x", [], [1], {"ignition": 1}, {"ignition": {}}])
def test_non_configs(value: object) -> None:
    assert validate(value)
    with pytest.raises(UserError):
        downconvert(value)  # type: ignore[arg-type]
    with pytest.raises(UserError):
        merge(value, {"ignition": {"version": "3.3.0"}})  # type: ignore[arg-type]
