"""The tfplugin6 Provider service of the fake, working on raw schema-shaped values.

Terraform core validates configuration against the schema we serve, so the service itself
only has to plan (computed -> unknown on create), apply (fill unknowns) and echo state back
on read, which keeps a re-plan after apply free of changes.
"""

from __future__ import annotations

import json
import threading
import traceback
from typing import Any

import msgpack  # type: ignore[import-untyped]
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc
from tf.types import Unknown
from tf.utils import read_dynamic_value

from typhoon_tf.testing.fakeprovider import constraints, imports
from typhoon_tf.testing.fakeprovider.errors import ProviderError
from typhoon_tf.testing.fakeprovider.force_new import MapKey, load_table, replace_paths
from typhoon_tf.testing.fakeprovider.handlers import (
    DATA_HANDLERS,
    REPLACE_ON_ANY_CHANGE_PREFIXES,
    RESOURCE_HANDLERS,
    recorded_data_answer,
)
from typhoon_tf.testing.fakeprovider.schema import (
    JsonBlock,
    ProviderSchemaDoc,
    schema_pb,
)
from typhoon_tf.testing.fakeprovider.validators import VALIDATORS
from typhoon_tf.testing.fakeprovider.values import (
    ValueGen,
    canonical,
    fill_unknowns,
    known_only,
    mark_computed_unknown,
)


def _encode(value: Any) -> Any:
    def default(obj: Any) -> Any:
        if obj is Unknown:
            return msgpack.ExtType(0, b"\x00")
        raise TypeError(f"cannot encode {obj!r}")

    return pb.DynamicValue(msgpack=msgpack.packb(value, default=default))


def _decode(value: Any) -> Any:
    if value.msgpack:
        # Terraform >= 1.6 sends refined unknowns (msgpack extension 12: an unknown known
        # to be non-null, or to have a prefix); `tf` only maps extension 0 to Unknown.
        return msgpack.unpackb(value.msgpack, ext_hook=lambda code, data: Unknown)
    return read_dynamic_value(value)


def coerce(ty: Any, value: Any) -> Any:
    """Make a handler's value match the schema type (e.g. numeric ids for string attrs)."""
    if value is None:
        return None
    if ty == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    if ty == "number":
        return value if isinstance(value, int | float) else int(value)
    if ty == "bool":
        return bool(value)
    if isinstance(ty, list) and ty[0] in ("list", "set") and isinstance(value, list):
        return [coerce(ty[1], v) for v in value]
    if isinstance(ty, list) and ty[0] == "map" and isinstance(value, dict):
        return {k: coerce(ty[1], v) for k, v in value.items()}
    return value


def _has_dynamic(block: JsonBlock) -> bool:
    return any(a.get("type") == "dynamic" for a in block.get("attributes", {}).values())


def _diagnostic(err: ProviderError) -> Any:
    steps = [_step(p) for p in err.path]
    return pb.Diagnostic(
        severity=pb.Diagnostic.ERROR,
        summary=err.summary,
        detail=err.detail,
        attribute=pb.AttributePath(steps=steps) if steps else None,
    )


def _step(step: str | int) -> Any:
    if isinstance(step, MapKey):
        return pb.AttributePath.Step(element_key_string=str(step))
    if isinstance(step, int):
        return pb.AttributePath.Step(element_key_int=step)
    return pb.AttributePath.Step(attribute_name=step)


def _bug(exc: Exception) -> Any:
    return pb.Diagnostic(
        severity=pb.Diagnostic.ERROR,
        summary=f"fake provider internal error: {type(exc).__name__}: {exc}",
        detail=traceback.format_exc(),
    )


class FakeProviderService(rpc.ProviderServicer):  # type: ignore[misc]
    def __init__(self, doc: ProviderSchemaDoc) -> None:
        self.doc = doc
        self._lock = threading.Lock()
        self._seen_seeds: set[str] = set()
        self._region: str | None = None
        self._schema_response: Any = None

    # -- helpers -------------------------------------------------------------------------

    def _gen(self, type_name: str, seed: str) -> ValueGen:
        return ValueGen(self.doc.type_name, type_name, seed, self._region)

    def _unique_seed(self, type_name: str, base: str) -> str:
        # Identical configurations (count = 3 of the same thing) still get distinct ids.
        with self._lock:
            seed, n = base, 0
            while f"{type_name}\x00{seed}" in self._seen_seeds:
                n += 1
                seed = f"{base}#{n}"
            self._seen_seeds.add(f"{type_name}\x00{seed}")
            return seed

    @staticmethod
    def _complete(
        block: JsonBlock,
        value: dict[str, Any],
        overrides: dict[str, Any],
        gen: ValueGen,
    ) -> dict[str, Any]:
        attrs = block.get("attributes", {})
        out = dict(value)
        for key, override in overrides.items():
            if key in attrs and out.get(key) is Unknown:
                out[key] = coerce(attrs[key]["type"], override)
        return fill_unknowns(block, out, gen)

    # -- provider ------------------------------------------------------------------------

    def GetMetadata(self, request: Any, context: Any) -> Any:
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(plan_destroy=False),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=t) for t in self.doc.resources],
            data_sources=[
                pb.GetMetadata.DataSourceMetadata(type_name=t) for t in self.doc.data_sources
            ],
        )

    def GetProviderSchema(self, request: Any, context: Any) -> Any:
        with self._lock:
            if self._schema_response is None:
                # Provider blocks are relaxed to optional: modules under test normally leave
                # provider configuration (endpoints, credentials) to their caller.
                self._schema_response = pb.GetProviderSchema.Response(
                    provider=schema_pb(self.doc.provider, relax_required=True),
                    provider_meta=schema_pb({}),
                    resource_schemas={k: schema_pb(v) for k, v in self.doc.resources.items()},
                    data_source_schemas={k: schema_pb(v) for k, v in self.doc.data_sources.items()},
                    server_capabilities=pb.ServerCapabilities(plan_destroy=False),
                )
            return self._schema_response

    def ValidateProviderConfig(self, request: Any, context: Any) -> Any:
        return pb.ValidateProviderConfig.Response()

    def ValidateResourceConfig(self, request: Any, context: Any) -> Any:
        config = constraints.as_unknowns(_decode(request.config) or {})
        validator = VALIDATORS.get(request.type_name)
        errors = validator(config) if validator is not None else []
        # The providers' value constraints (provider_facts.yaml).
        errors += constraints.check(request.type_name, config, "validate")
        return pb.ValidateResourceConfig.Response(diagnostics=[_diagnostic(e) for e in errors])

    def ValidateDataResourceConfig(self, request: Any, context: Any) -> Any:
        return pb.ValidateDataResourceConfig.Response()

    def ConfigureProvider(self, request: Any, context: Any) -> Any:
        config = _decode(request.config) or {}
        region = config.get("region")
        if isinstance(region, str) and region:
            self._region = region
        return pb.ConfigureProvider.Response()

    def StopProvider(self, request: Any, context: Any) -> Any:
        return pb.StopProvider.Response()

    # -- resources -----------------------------------------------------------------------

    def UpgradeResourceState(self, request: Any, context: Any) -> Any:
        if request.raw_state.json and _has_dynamic(self.doc.resources[request.type_name]):
            # Dynamic attributes (kubernetes_manifest) are stored as {"value", "type"} JSON,
            # which msgpack cannot carry as is: hand the JSON back for Terraform to decode.
            return pb.UpgradeResourceState.Response(
                upgraded_state=pb.DynamicValue(json=request.raw_state.json)
            )
        state = json.loads(request.raw_state.json) if request.raw_state.json else None
        return pb.UpgradeResourceState.Response(upgraded_state=_encode(state))

    def ReadResource(self, request: Any, context: Any) -> Any:
        # The fake "cloud" is Terraform's own state: read returns exactly what was stored.
        return pb.ReadResource.Response(new_state=request.current_state, private=request.private)

    def PlanResourceChange(self, request: Any, context: Any) -> Any:
        try:
            return self._plan(request)
        except Exception as exc:
            return pb.PlanResourceChange.Response(diagnostics=[_bug(exc)])

    def _plan(self, request: Any) -> Any:
        block = self.doc.resources[request.type_name]
        prior = _decode(request.prior_state)
        proposed = _decode(request.proposed_new_state)
        if proposed is None:
            return pb.PlanResourceChange.Response(planned_state=_encode(None))
        # The providers' CustomizeDiff checks (provider_facts.yaml, `stage: plan`).
        errors = constraints.check(request.type_name, _decode(request.config) or {}, "plan")
        if errors:
            return pb.PlanResourceChange.Response(diagnostics=[_diagnostic(e) for e in errors])
        if prior is None:
            planned = mark_computed_unknown(block, proposed)
            return pb.PlanResourceChange.Response(planned_state=_encode(planned))
        replace = []
        rules = load_table().get(request.type_name)
        if request.type_name.startswith(REPLACE_ON_ANY_CHANGE_PREFIXES) or (
            rules is not None and rules.all_arguments
        ):
            attrs = block.get("attributes", {})
            for key in sorted(set(attrs) | set(block.get("block_types", {}))):
                settable = key not in attrs or not (
                    attrs[key].get("computed") and not attrs[key].get("optional")
                )
                if settable and canonical(prior.get(key)) != canonical(proposed.get(key)):
                    replace.append(
                        pb.AttributePath(steps=[pb.AttributePath.Step(attribute_name=key)])
                    )
        elif rules is not None:
            # The provider's ForceNew attributes (provider_facts.yaml), top-level and nested.
            for path in replace_paths(rules, block, prior, proposed):
                replace.append(pb.AttributePath(steps=[_step(s) for s in path]))
        return pb.PlanResourceChange.Response(
            planned_state=_encode(proposed), requires_replace=replace
        )

    def ApplyResourceChange(self, request: Any, context: Any) -> Any:
        try:
            return self._apply(request)
        except ProviderError as err:
            return pb.ApplyResourceChange.Response(diagnostics=[_diagnostic(err)])
        except Exception as exc:
            return pb.ApplyResourceChange.Response(diagnostics=[_bug(exc)])

    def _apply(self, request: Any) -> Any:
        type_name = request.type_name
        block = self.doc.resources[type_name]
        planned = _decode(request.planned_state)
        if planned is None:
            return pb.ApplyResourceChange.Response(new_state=_encode(None))
        gen = self._gen(type_name, self._unique_seed(type_name, canonical(planned)))
        prior = _decode(request.prior_state)
        handler = RESOURCE_HANDLERS.get(type_name)
        overrides = handler(known_only(planned), gen) if handler and prior is None else {}
        new_state = self._complete(block, planned, overrides, gen)
        return pb.ApplyResourceChange.Response(
            new_state=_encode(new_state), private=request.planned_private
        )

    def ImportResourceState(self, request: Any, context: Any) -> Any:
        # Kubernetes objects from a fake cluster file (imports.py); other types refuse.
        try:
            block = self.doc.resources[request.type_name]
            gen = self._gen(request.type_name, self._unique_seed(request.type_name, request.id))
            state = imports.import_state(request.type_name, request.id, block, gen)
        except ProviderError as err:
            return pb.ImportResourceState.Response(diagnostics=[_diagnostic(err)])
        except Exception as exc:
            return pb.ImportResourceState.Response(diagnostics=[_bug(exc)])
        imported = pb.ImportResourceState.ImportedResource(
            type_name=request.type_name, state=_encode(state)
        )
        return pb.ImportResourceState.Response(imported_resources=[imported])

    # -- data sources --------------------------------------------------------------------

    def ReadDataSource(self, request: Any, context: Any) -> Any:
        try:
            block = self.doc.data_sources[request.type_name]
            config = _decode(request.config) or {}
            planned = mark_computed_unknown(block, config)
            # No uniquifier: a data source must answer the same on every plan.
            gen = self._gen(request.type_name, canonical(config))
            handler = DATA_HANDLERS.get(request.type_name)
            overrides = handler(known_only(config), gen) if handler else {}
            overrides.update(recorded_data_answer(request.type_name))
            state = self._complete(block, planned, overrides, gen)
            return pb.ReadDataSource.Response(state=_encode(state))
        except ProviderError as err:
            return pb.ReadDataSource.Response(diagnostics=[_diagnostic(err)])
        except Exception as exc:
            return pb.ReadDataSource.Response(diagnostics=[_bug(exc)])
