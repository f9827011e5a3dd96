"""Typed holes: node content that only Terraform knows, at apply time.

The contract with the module generator
--------------------------------------
`node_template(...)` returns a `NodeTemplate`:

* `.text` is a Terraform `templatefile()` template whose output is the node's Ignition JSON
  (pretty-printed here; compact it at apply time with
  `jsonencode(jsondecode(templatefile(path, vars)))`). Every literal `${` / `%{` of the
  static content is escaped as `$${` / `%%{`, so only our interpolations are live.
* `.variables` maps each template variable to a `HoleSpec` (Terraform type, description,
  example). Pass exactly these names to `templatefile()`; types are `string` or
  `list(string)`. A null is never expected: pass "" for an unset `cloud_provider`.

Where a hole lands is decided here, never by the generator:

* **Value holes** replace a whole JSON value: `"sshAuthorizedKeys": ${jsonencode([...])}`,
  and the snippet list `"merge": ${jsonencode([for s in snippets : {source = s}])}`
  (`append` for Ignition 2.3.0). `snippets` are data URLs of Ignition configs of the same
  spec version as the node (for 2.3.0, configs down-converted to 2.3.0).
* **File holes** replace a whole file's contents:
  `"source": "data:;base64,${base64encode(EXPR)}"` where EXPR is an HCL string expression
  mixing the static text with the variables (e.g. the etcd environment file). Files whose
  example content reaches `GZIP_THRESHOLD` bytes use `base64gzip` and carry
  `"compression": "gzip"`, which keeps controller configs well under the 16 KiB AWS limit.

Systemd units never contain holes: they read apply-time values from small files through
`EnvironmentFile=` (`/etc/kubernetes/kubelet.env`, `/etc/etcd/etcd.env`), so unit text
stays static and reviewable.

How it is built: the Butane template is rendered with `SentinelHoles`, whose methods return
unique sentinel words, then transpiled (and down-converted) like any node. `fill_holes`
finds the sentinels in the Ignition structure and turns them into interpolations.
`ValueHoles` renders the same template with real values, which is what `render()` returns;
the tests check both agree through the real `templatefile()`.
"""

from __future__ import annotations

import base64
import copy
import gzip
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from typhoon_tf.errors import UserError
from typhoon_tf.hcl.strings import escape_template_sequences, quote, quoted_literal
from typhoon_tf.ignition.dataurl import decode_data_url, is_data_url

HoleType = Literal["string", "list(string)"]

# File holes at least this large (example content, bytes) are gzipped by Terraform.
GZIP_THRESHOLD = 256

_EXAMPLE_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://tempest.example.com:6443
    certificate-authority-data: \
LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkVYQU1QTEUKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
users:
- name: kubelet
  user:
    token: abcdef.0123456789abcdef
contexts:
- context:
    cluster: local
    user: kubelet
"""


@dataclass(frozen=True)
class HoleSpec:
    """One template variable: its Terraform type, meaning and a documented example."""

    name: str
    type: HoleType
    description: str
    example: str | tuple[str, ...]

    @property
    def kind(self) -> HoleType:
        """Alias of `type` (the Terraform type constraint of the variable)."""
        return self.type

    def check(self, value: object, where: str) -> str | list[str]:
        """Return `value` if it has this hole's type, else raise `UserError` at `where`."""
        if self.type == "string":
            if isinstance(value, str):
                return value
            raise UserError(f"expected a string, got {type(value).__name__}", path=where)
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return list(value)
        raise UserError("expected a list of strings", path=where)


# The catalogue, in the order `NodeTemplate.variables` lists them.
HOLES: dict[str, HoleSpec] = {
    h.name: h
    for h in (
        HoleSpec(
            "kubeconfig",
            "string",
            "Bootstrap-token kubeconfig the kubelet uses for TLS bootstrap "
            "(bootstrap module output kubeconfig-kubelet); written to /etc/kubernetes/kubeconfig",
            _EXAMPLE_KUBECONFIG,
        ),
        HoleSpec(
            "ssh_authorized_key",
            "string",
            "SSH public key for the user core",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seQ "
            "user@example",
        ),
        HoleSpec(
            "cluster_dns_service_ip",
            "string",
            "IP of the cluster DNS Service (cidrhost(service_cidr, 10))",
            "10.3.0.10",
        ),
        HoleSpec("etcd_name", "string", "This controller's etcd member name", "etcd0"),
        HoleSpec(
            "etcd_domain",
            "string",
            "FQDN this controller's etcd member advertises",
            "tempest-etcd0.example.com",
        ),
        HoleSpec(
            "etcd_initial_cluster",
            "string",
            "Comma-separated name=https://domain:2380 pairs of every etcd member",
            "etcd0=https://tempest-etcd0.example.com:2380",
        ),
        HoleSpec(
            "domain_name",
            "string",
            "The machine's FQDN (bare-metal): hostname, kubelet node name, etcd domain",
            "node1.example.com",
        ),
        HoleSpec(
            "node_labels",
            "list(string)",
            "Extra worker node labels (key=value), added to node.kubernetes.io/node",
            (),
        ),
        HoleSpec("node_taints", "list(string)", "Worker node taints (key=value:Effect)", ()),
        HoleSpec(
            "cloud_provider",
            "string",
            'Kubelet --cloud-provider ("external"), or "" for none',
            "",
        ),
        HoleSpec(
            "snippets",
            "list(string)",
            "data: URLs of Ignition configs (transpiled Butane snippets, same spec version) "
            "merged by Ignition at boot",
            (),
        ),
    )
}


def example_values(names: Sequence[str]) -> dict[str, str | list[str]]:
    """The documented example value of each named hole."""
    out: dict[str, str | list[str]] = {}
    for name in names:
        ex = HOLES[name].example
        out[name] = ex if isinstance(ex, str) else list(ex)
    return out


class Holes(Protocol):
    """What node templates call to place an apply-time value.

    Text methods return a string to put inside a *file's* contents; `item` returns one
    list element (the list containing it becomes a value hole).
    """

    def text(self, name: str) -> str: ...
    def csv(self, name: str, always: Sequence[str] = ()) -> str: ...
    def flag(self, name: str, flag: str) -> str: ...
    def item(self, name: str) -> str: ...


def _hcl_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(quote(i) for i in items) + "]"


_SENTINEL = re.compile(r"TTFHOLE(\d{4})X")


@dataclass
class SentinelHoles:
    """Records each use of a hole and returns a sentinel word standing for it."""

    # sentinel -> (HCL string expression, the same computed in Python from values)
    text_exprs: dict[str, tuple[str, Callable[[ValueHoles], str]]] = field(default_factory=dict)
    # sentinel -> HCL expression of the JSON value replacing the list holding the sentinel
    item_exprs: dict[str, str] = field(default_factory=dict)
    # sentinel -> variable interpolated inside a JSON string (see `inline`)
    inline_exprs: dict[str, str] = field(default_factory=dict)
    item_names: dict[str, str] = field(default_factory=dict)  # sentinel -> its hole
    used: set[str] = field(default_factory=set)

    def _next_word(self) -> str:
        count = len(self.text_exprs) + len(self.item_exprs) + len(self.inline_exprs)
        return f"TTFHOLE{count:04d}X"

    def _word(self, name: str) -> str:
        if name not in HOLES:
            raise KeyError(f"unknown hole {name!r}")
        self.used.add(name)
        return self._next_word()

    def _text_use(self, name: str, expr: str, compute: Callable[[ValueHoles], str]) -> str:
        word = self._word(name)
        self.text_exprs[word] = (expr, compute)
        return word

    def text(self, name: str) -> str:
        return self._text_use(name, name, lambda v: v.text(name))

    def csv(self, name: str, always: Sequence[str] = ()) -> str:
        joined = f"concat({_hcl_list(always)}, {name})" if always else name
        return self._text_use(name, f'join(",", {joined})', lambda v: v.csv(name, always))

    def flag(self, name: str, flag: str) -> str:
        if HOLES[name].type == "string":
            expr = f'{name} != "" ? format("{flag}%s", {name}) : ""'
        else:
            expr = f'length({name}) > 0 ? format("{flag}%s", join(",", {name})) : ""'
        return self._text_use(name, expr, lambda v: v.flag(name, flag))

    def item(self, name: str) -> str:
        word = self._word(name)
        self.item_exprs[word] = f"jsonencode([{name}])"
        self.item_names[word] = name
        return word

    def inline(self, name: str) -> str:
        """`${name}` inside a JSON string (a unit line, a user field); the caller passes the
        value JSON-string-escaped. Any variable name: platforms' own Butane templates (e.g.
        bare-metal's PXE install config) have variables of their own, outside `HOLES`."""
        word = self._next_word()
        self.inline_exprs[word] = name
        return word

    def variables(self) -> dict[str, HoleSpec]:
        return {n: h for n, h in HOLES.items() if n in self.used}


@dataclass
class ValueHoles:
    """Places real values where `SentinelHoles` places sentinels."""

    values: Mapping[str, object]
    used: set[str] = field(default_factory=set)

    def _get(self, name: str) -> str | list[str]:
        if name not in self.values:
            raise UserError(f"missing value for {name!r}", path=name)
        self.used.add(name)
        return HOLES[name].check(self.values[name], name)

    def _string(self, name: str) -> str:
        value = self._get(name)
        assert isinstance(value, str)
        return value

    def _list(self, name: str) -> list[str]:
        value = self._get(name)
        assert isinstance(value, list)
        return value

    def text(self, name: str) -> str:
        return self._string(name)

    def csv(self, name: str, always: Sequence[str] = ()) -> str:
        return ",".join([*always, *self._list(name)])

    def flag(self, name: str, flag: str) -> str:
        if HOLES[name].type == "string":
            value = self._string(name)
            return f"{flag}{value}" if value else ""
        items = self._list(name)
        return f"{flag}{','.join(items)}" if items else ""

    def item(self, name: str) -> str:
        return self._string(name)


@dataclass(frozen=True)
class NodeTemplate:
    """A node's Ignition as a Terraform template plus its typed variables."""

    text: str
    variables: dict[str, HoleSpec]
    ignition_version: str


# Snippets are appended structurally (not through Butane); this sentinel marks the list.
SNIPPETS_SENTINEL_URL = "data:,TTFSNIPPETS"
SNIPPETS_EXPR = "jsonencode([for s in snippets : {source = s}])"


def pretty_json(config: Mapping[str, Any]) -> str:
    """Node templates are pretty-printed for readers (user data is compacted at apply time)."""
    return json.dumps(config, indent=2, ensure_ascii=False)


def fill_holes(
    config: dict[str, Any],
    holes: SentinelHoles,
    examples: Mapping[str, object],
    *,
    dump: Callable[[dict[str, Any]], str] = pretty_json,
) -> str:
    """Turn a sentinel-carrying Ignition config into Terraform template text."""
    interpolations: dict[str, str] = {}

    def marker(replacement: str) -> str:
        word = f"TTFMARK{len(interpolations):04d}X"
        interpolations[f'"{word}"'] = replacement
        return word

    for node in config.get("storage", {}).get("files", []):
        _fill_file(node, holes, examples, marker)
    config = _fill_values(config, holes, marker)
    text = escape_template_sequences(dump(config))
    for word, replacement in interpolations.items():
        if text.count(word) != 1:
            raise AssertionError(f"hole marker {word} placed {text.count(word)} times")
        text = text.replace(word, replacement)
    for word, name in holes.inline_exprs.items():
        if word not in text:
            raise AssertionError(f"${{{name}}} is not in the rendered config")
        text = text.replace(word, "${" + name + "}")
    leftover = _SENTINEL.search(text)
    if leftover or "TTFSNIPPETS" in text:
        raise AssertionError("a hole was placed where holes are not supported (units?)")
    return text + "\n"


def _fill_file(
    node: dict[str, Any],
    holes: SentinelHoles,
    examples: Mapping[str, object],
    marker: Callable[[str], str],
) -> None:
    contents = node.get("contents")
    if not isinstance(contents, dict) or not isinstance(contents.get("source"), str):
        return
    if not is_data_url(contents["source"]):
        return  # a remote source (e.g. from a snippet) holds no hole
    data = decode_data_url(contents["source"], contents.get("compression") or None)
    text = data.decode("utf-8")
    if not _SENTINEL.search(text):
        return
    for word, name in holes.inline_exprs.items():
        if word in text:
            raise AssertionError(
                f"${{{name}}} would land in file contents (a data URL, possibly encoded); "
                "use it in a systemd unit or a user field"
            )
    expr, example = _file_expression(text, holes, examples)
    gzip = len(example.encode()) >= GZIP_THRESHOLD
    function = "base64gzip" if gzip else "base64encode"
    source = marker(f'"data:;base64,${{{function}({expr})}}"')
    node["contents"] = {"compression": "gzip", "source": source} if gzip else {"source": source}


def _file_expression(
    text: str, holes: SentinelHoles, examples: Mapping[str, object]
) -> tuple[str, str]:
    """The HCL expression building `text` and the example content it evaluates to."""
    values = ValueHoles(examples)
    parts: list[str] = []
    example: list[str] = []
    pos = 0
    for match in _SENTINEL.finditer(text):
        literal = text[pos : match.start()]
        escaped = quoted_literal(literal)
        if escaped.endswith("$"):
            # "$" + "${x}" would read as the escape "$${x}": write that "$" as a template.
            escaped = escaped[:-1] + '${"$"}'
        parts.append(escaped)
        example.append(literal)
        expr, compute = holes.text_exprs[match.group(0)]
        parts.append("${" + expr + "}")
        example.append(compute(values))
        pos = match.end()
    parts.append(quoted_literal(text[pos:]))
    example.append(text[pos:])
    if len(parts) == 3 and parts[0] == "" and parts[2] == "":
        whole = parts[1][2:-1]
        return whole, "".join(example)
    return '"' + "".join(parts) + '"', "".join(example)


def _fill_values(value: Any, holes: SentinelHoles, marker: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return {k: _fill_values(v, holes, marker) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], str) and value[0] in holes.item_exprs:
            return marker("${" + holes.item_exprs[value[0]] + "}")
        if (
            len(value) == 1
            and isinstance(value[0], dict)
            and value[0].get("source") == SNIPPETS_SENTINEL_URL
        ):
            return marker("${" + SNIPPETS_EXPR + "}")
        return [_fill_values(v, holes, marker) for v in value]
    return value


def instantiate(
    config: dict[str, Any],
    holes: SentinelHoles,
    values: Mapping[str, object],
    examples: Mapping[str, object],
) -> dict[str, Any]:
    """The Ignition config Terraform renders from `fill_holes`' template for `values`: what
    a node receives, so its size is the real user-data size (gzip as Terraform's
    `base64gzip`, same level; file holes are gzipped when their *example* reaches
    `GZIP_THRESHOLD`, as in the template)."""
    filled = copy.deepcopy(config)
    for node in filled.get("storage", {}).get("files", []):
        contents = node.get("contents")
        if not isinstance(contents, dict) or not isinstance(contents.get("source"), str):
            continue
        if not is_data_url(contents["source"]):
            continue
        data = decode_data_url(contents["source"], contents.get("compression") or None)
        text = data.decode("utf-8")
        if not _SENTINEL.search(text):
            continue
        _, content = _file_expression(text, holes, values)
        _, example = _file_expression(text, holes, examples)
        if len(example.encode()) >= GZIP_THRESHOLD:
            packed = base64.b64encode(gzip.compress(content.encode(), 6, mtime=0)).decode()
            node["contents"] = {"compression": "gzip", "source": f"data:;base64,{packed}"}
        else:
            packed = base64.b64encode(content.encode()).decode()
            node["contents"] = {"source": f"data:;base64,{packed}"}
    result: dict[str, Any] = _instantiate_values(filled, holes, values)
    return result


def _instantiate_values(value: Any, holes: SentinelHoles, values: Mapping[str, object]) -> Any:
    if isinstance(value, dict):
        return {k: _instantiate_values(v, holes, values) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], str) and value[0] in holes.item_names:
            name = holes.item_names[value[0]]
            return [HOLES[name].check(values[name], name)]
        if (
            len(value) == 1
            and isinstance(value[0], dict)
            and value[0].get("source") == SNIPPETS_SENTINEL_URL
        ):
            urls = HOLES["snippets"].check(values.get("snippets", []), "snippets")
            return [{"source": url} for url in urls]
        return [_instantiate_values(v, holes, values) for v in value]
    if isinstance(value, str):
        for word, name in holes.inline_exprs.items():
            value = value.replace(word, str(values[name]))
    return value
