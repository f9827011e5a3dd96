"""Boot order between a node's units, resolved from its rendered config.

`RequiredBy=`/`Requires=`/`Wants=` only pull units into the transaction; systemd starts
them in parallel unless `After=`/`Before=` order them. So presence of a dependency is not
enough: this resolves the ordering relations of every unit and drop-in a node config
carries (including the symmetric `Before=` ↔ `After=` and transitive chains) and checks
that what must wait does wait.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import pytest
from test_nodes_helpers import config_of, node_id, node_matrix

from typhoon_tf.nodes import render

NODES = list(node_matrix())
# Unit -> the units it must start after, on every node that has both.
REQUIRED_ORDER: dict[str, tuple[str, ...]] = {
    "kubelet.service": ("wait-for-dns.service",),
    "etcd-member.service": ("wait-for-dns.service",),
}


def _unit_section_values(text: str, key: str) -> list[str]:
    """Values of `key` in the [Unit] section (space-separated lists; empty resets)."""
    values: list[str] = []
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        if section != "Unit" or "=" not in line:
            continue
        name, _, value = line.partition("=")
        if name.strip() != key:
            continue
        if not value.strip():
            values = []
        else:
            values.extend(value.split())
    return values


def ordering_graph(units: Iterable[Mapping[str, object]]) -> dict[str, set[str]]:
    """unit -> units that must be started before it (direct edges only)."""
    after: dict[str, set[str]] = defaultdict(set)
    for unit in units:
        name = str(unit["name"])
        texts = [str(unit["contents"])] if "contents" in unit else []
        dropins = unit.get("dropins") or []
        assert isinstance(dropins, list)
        texts += [str(d["contents"]) for d in dropins if "contents" in d]
        for text in texts:
            for other in _unit_section_values(text, "After"):
                after[name].add(other)
            for other in _unit_section_values(text, "Before"):
                after[other].add(name)
    return after


def starts_after(graph: Mapping[str, set[str]], unit: str, other: str) -> bool:
    """Whether `unit` is (transitively) ordered after `other`."""
    seen: set[str] = set()
    todo = [unit]
    while todo:
        current = todo.pop()
        for before in graph.get(current, ()):
            if before == other:
                return True
            if before not in seen:
                seen.add(before)
                todo.append(before)
    return False


def _has_cycle(graph: Mapping[str, set[str]]) -> bool:
    return any(starts_after(graph, unit, unit) for unit in graph)


@pytest.mark.parametrize("platform,os_name,role", NODES, ids=[node_id(*n) for n in NODES])
def test_kubelet_and_etcd_wait_for_dns(platform: str, os_name: str, role: str) -> None:
    units = config_of(platform, os_name, role)["systemd"]["units"]
    names = {u["name"] for u in units}
    graph = ordering_graph(units)
    checked = 0
    for unit, prerequisites in REQUIRED_ORDER.items():
        for prerequisite in prerequisites:
            if unit in names and prerequisite in names:
                assert starts_after(graph, unit, prerequisite), f"{unit} not after {prerequisite}"
                checked += 1
    # wait-for-dns exists on every node: the kubelet always, etcd on controllers.
    assert checked == (2 if role == "controller" else 1)
    assert not _has_cycle(graph)


@pytest.mark.parametrize("platform,os_name,role", NODES, ids=[node_id(*n) for n in NODES])
def test_wait_for_dns_is_pulled_in(platform: str, os_name: str, role: str) -> None:
    """Ordering alone starts nothing: the waiting units also require wait-for-dns."""
    units = {u["name"]: u for u in config_of(platform, os_name, role)["systemd"]["units"]}
    wait = units["wait-for-dns.service"]
    assert wait["enabled"] is True
    required_by = [
        line.partition("=")[2]
        for line in wait["contents"].splitlines()
        if line.startswith("RequiredBy=")
    ]
    expected = ["kubelet.service"] + (["etcd-member.service"] if role == "controller" else [])
    assert required_by == expected


def test_required_by_alone_orders_nothing() -> None:
    """The resolver is no rubber stamp: without Before= the kubelet would not wait."""
    units = render("aws", "fedora-coreos", "controller")["systemd"]["units"]
    for unit in units:
        if unit["name"] == "wait-for-dns.service":
            unit["contents"] = "\n".join(
                line for line in unit["contents"].splitlines() if not line.startswith("Before=")
            )
    graph = ordering_graph(units)
    assert not starts_after(graph, "kubelet.service", "wait-for-dns.service")
    assert not starts_after(graph, "etcd-member.service", "wait-for-dns.service")


def test_resolver_follows_after_before_and_chains() -> None:
    units: list[dict[str, object]] = [
        {"name": "a.service", "contents": "[Unit]\nBefore=b.service\n"},
        {"name": "c.service", "contents": "[Unit]\nAfter=b.service\n[Install]\nAfter=x\n"},
        {
            "name": "d.service",
            "dropins": [{"name": "x.conf", "contents": "[Unit]\nAfter=c.service\n"}],
        },
    ]
    graph = ordering_graph(units)
    assert starts_after(graph, "d.service", "a.service")
    assert not starts_after(graph, "a.service", "d.service")
    assert not starts_after(graph, "c.service", "x")  # [Install] is not ordering
