"""Update-coordination addons: manifests validate against the pinned Kubernetes schema."""

from __future__ import annotations

import copy
from typing import Any

import kubernetes_validate
import pytest
import yaml

from typhoon_tf import versions
from typhoon_tf.addons import addons_tree, fleetlock_url, render_addon

K8S_VERSION = versions.KUBERNETES.lstrip("v").rsplit(".", 1)[0] + ".0"


def documents(name: str, **kwargs: Any) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(render_addon(name, **kwargs)[f"{name}.yaml"]) if d]


@pytest.mark.parametrize("name", ["fleetlock", "fluo"])
def test_manifests_validate_strictly(name: str) -> None:
    docs = documents(name, daemonset_tolerations=["gpu-role"])
    assert docs
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_validation_would_catch_a_typo() -> None:
    deployment = next(d for d in documents("fleetlock") if d["kind"] == "Deployment")
    broken = copy.deepcopy(deployment)
    broken["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = 3
    broken["spec"]["template"]["spec"]["containers"][0]["portz"] = []
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def test_fleetlock_service_ip_matches_the_zincati_url() -> None:
    service = next(
        d for d in documents("fleetlock", service_cidr="10.5.0.0/16") if d["kind"] == "Service"
    )
    assert service["spec"]["clusterIP"] == "10.5.0.15"
    assert fleetlock_url("10.5.0.0/16") == "http://10.5.0.15/"


def test_images_come_from_the_versions_file() -> None:
    tree = addons_tree()
    assert versions.FLEETLOCK_IMAGE in tree["fleetlock/fleetlock.yaml"]
    assert versions.FLUO_IMAGE in tree["fluo/fluo.yaml"]
    assert tree == addons_tree(), "deterministic"
