"""Component addon modules without Terraform: Typhoon's interface, coverage, the renderer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from typhoon_tf import versions
from typhoon_tf.addons import k8s_hcl
from typhoon_tf.addons.components import COMPONENTS, component, component_module, render_component
from typhoon_tf.addons.tftemplate import Bindings, TemplateError, render_symbolic
from typhoon_tf.bootstrap.interface import CONTAINER_IMAGES
from typhoon_tf.bootstrap.module import templates as bootstrap_templates

ROOT = Path(__file__).resolve().parent.parent

# Facts from Typhoon HEAD (poseidon/typhoon 2142817, addons/*/variables.tf and *.tf):
# variable -> (type, default); `any` where Typhoon declares no type.
TYPHOON_VARIABLES = {
    "coredns": {
        "replicas": ("number", 2),
        "cluster_dns_service_ip": ("any", "10.3.0.10"),
        "cluster_domain_suffix": ("any", "cluster.local"),
    },
    "cilium": {
        "pod_cidr": ("string", "10.20.0.0/14"),
        "daemonset_tolerations": ("list(string)", []),
        "enable_hubble": ("bool", True),
    },
    "flannel": {
        "pod_cidr": ("string", "10.20.0.0/14"),
        "daemonset_tolerations": ("list(string)", []),
    },
}
TYPHOON_ADDRESSES = {
    "coredns": {
        "kubernetes_cluster_role.coredns",
        "kubernetes_cluster_role_binding.coredns",
        "kubernetes_config_map.coredns",
        "kubernetes_deployment.coredns",
        "kubernetes_service.coredns",
        "kubernetes_service_account.coredns",
    },
    "flannel": {
        "kubernetes_cluster_role.flannel",
        "kubernetes_cluster_role_binding.flannel",
        "kubernetes_config_map.config",
        "kubernetes_daemonset.flannel",
        "kubernetes_service_account.flannel",
    },
    "cilium": {
        "kubernetes_cluster_role.agent",
        "kubernetes_cluster_role.operator",
        "kubernetes_cluster_role_binding.agent",
        "kubernetes_cluster_role_binding.operator",
        "kubernetes_config_map.cilium",
        "kubernetes_daemonset.cilium",
        "kubernetes_deployment.operator",
        "kubernetes_service_account.agent",
        "kubernetes_service_account.operator",
    },
}


@pytest.mark.parametrize("name", sorted(TYPHOON_VARIABLES))
def test_typhoon_variables_same_names_types_defaults(name: str) -> None:
    got = {v.name: (v.type, v.default) for v in component(name).variables}
    assert got == TYPHOON_VARIABLES[name]


@pytest.mark.parametrize("name", sorted(TYPHOON_ADDRESSES))
def test_typhoon_resource_addresses(name: str) -> None:
    _files, objects = render_component(component(name))
    assert {o.address for o in objects} == TYPHOON_ADDRESSES[name]


@pytest.mark.parametrize("comp", COMPONENTS, ids=lambda c: c.name)
def test_one_resource_per_bootstrap_object(comp: object) -> None:
    name = comp.name  # type: ignore[attr-defined]
    expected = []
    for rel, text in bootstrap_templates().items():
        if rel.startswith(f"{name}/"):
            # Template directives are not YAML; the objects' identities are plain text.
            plain = re.sub(r"^%\{.*\}\n", "", text, flags=re.MULTILINE)
            plain = re.sub(r"\$\{[^}]*\}", "x", plain)
            expected += [(d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(plain) if d]
    _files, objects = render_component(component(name))
    assert sorted((o.kind, o.name) for o in objects) == sorted(expected)
    assert len({o.address for o in objects}) == len(objects)


def test_committed_modules_are_the_generated_ones() -> None:
    for comp in COMPONENTS:
        for rel, text in component_module(comp).items():
            path = ROOT / "modules" / "addons" / comp.name / rel
            assert path.read_text() == text, f"stale: {path} (run typhoon-tf modules)"


def test_images_come_from_versions() -> None:
    text = "".join(component_module(component("cilium")).values())
    assert versions.CILIUM_AGENT_IMAGE in text and versions.CILIUM_OPERATOR_IMAGE in text
    calico = "".join(component_module(component("calico")).values())
    for image in (versions.CALICO_NODE_IMAGE, versions.CALICO_CNI_IMAGE):
        assert image in calico
    bumped = dict(CONTAINER_IMAGES, coredns="registry.k8s.io/coredns/coredns:v9.9.9")
    before = component_module(component("coredns"))
    after = component_module(component("coredns"), bumped)
    changed = [rel for rel in before if before[rel] != after[rel]]
    assert changed == ["deployment.tf"]


def test_import_ids() -> None:
    _files, objects = render_component(component("calico"))
    ids = {o.address: o.import_id for o in objects}
    assert ids["kubernetes_daemonset.calico_node"] == "kube-system/calico-node"
    assert ids["kubernetes_cluster_role.calico_node"] == "calico-node"
    assert ids["kubernetes_manifest.default_ipv4_ippool"] == (
        "apiVersion=crd.projectcalico.org/v1,kind=IPPool,name=default-ipv4-ippool"
    )
    crd = 'kubernetes_manifest.crd["ippools.crd.projectcalico.org"]'
    assert ids[crd].startswith("apiVersion=apiextensions.k8s.io/v1,kind=CustomResourceDefinition")


def test_handover_docs_list_every_import_id() -> None:
    text = (ROOT / "docs" / "addons" / "handover.md").read_text()
    for comp in COMPONENTS:
        _files, objects = render_component(comp)
        for obj in objects:
            if obj.for_each_key is None:
                assert obj.import_id in text and obj.address in text, obj.address


# -- the symbolic renderer and the converter -------------------------------------------------

BINDINGS = Bindings(
    constants={"images": {"a": "img:1"}, "dir": "/opt"},
    expressions={"cidr": "var.pod_cidr", "keys": "var.daemonset_tolerations"},
)


def test_renderer_substitutes_constants_and_marks_expressions() -> None:
    template = 'i: ${images["a"]}\nd: ${dir}\nc: "${cidr}"\ne: $${X}\n'
    text, symbols = render_symbolic(template, BINDINGS)
    assert text == 'i: img:1\nd: /opt\nc: "zzexpr0zz"\ne: ${X}\n'
    assert symbols.expressions == ["var.pod_cidr"]


def test_renderer_strip_markers_match_templatefile() -> None:
    # `~}` strips up to and including the line break, not the next line's indentation
    # (what Terraform's templatefile does; the cycle test compares with it too).
    template = "a:\n%{ for k in keys ~}\n  - ${k}\n%{ endfor ~}\nb: 1\n"
    text, symbols = render_symbolic(template, BINDINGS)
    assert text == "a:\n  - zzeach0zz\nb: 1\n"
    assert symbols.loops == ["var.daemonset_tolerations"]


@pytest.mark.parametrize(
    "template",
    ["${unknown}", "%{ while x }", "%{ for k in keys }", "%{ if cidr }a: 1\nb: 2\n%{ endif }"],
)
def test_renderer_refuses_what_it_cannot_translate(template: str) -> None:
    with pytest.raises(TemplateError):
        render_symbolic(template, BINDINGS)


def test_escaped_interpolations_stay_literal_in_hcl() -> None:
    daemonset = component_module(component("cilium"))["daemonset.tf"]
    assert '\\"$${BIN_PATH}/cilium-mount\\"' in daemonset


def test_unknown_field_is_an_error() -> None:
    conv = k8s_hcl.Converter(render_symbolic("", BINDINGS)[1])
    obj = {"kind": "ServiceAccount", "metadata": {"name": "x", "colour": "blue"}}
    with pytest.raises(k8s_hcl.ConversionError, match="colour"):
        conv.typed_body("kubernetes_service_account", obj)
