"""A Terraform module's interface: variables.tf, outputs.tf, versions.tf and README tables.

Platform modules and the bootstrap module render theirs from one description each (see
`typhoon_tf.platforms`), so a module, the cluster-config schema and the documentation
cannot disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from typhoon_tf import hcl
from typhoon_tf.platforms import Output, Provider, Validation, Variable
from typhoon_tf.versions import TERRAFORM_FLOOR

REQUIRED_TERRAFORM = f">= {'.'.join(map(str, TERRAFORM_FLOOR))}.0, < 2.0.0"


def variables_tf(variables: Sequence[Variable]) -> str:
    return hcl.render(_variable_block(v) for v in variables)


def _variable_block(var: Variable) -> hcl.Block:
    body: list[hcl.BodyItem] = [
        hcl.Attribute("type", hcl.Expr(var.type)),
        hcl.Attribute("description", var.description),
    ]
    if not var.required:
        body.append(hcl.Attribute("default", var.default))
    if var.sensitive:
        body.append(hcl.Attribute("sensitive", True))
    if not var.nullable:
        body.append(hcl.Attribute("nullable", False))
    for rule in _validations(var):
        # Terraform rejects messages that are not a sentence (uppercase start, final period).
        message = rule.error_message
        if not (message[:1].isupper() and message.endswith((".", "?"))):
            raise ValueError(
                f"variable {var.name}: validation message must be a sentence: {message}"
            )
        body += [
            hcl.Blank(),
            hcl.Block(
                "validation",
                body=[
                    hcl.Attribute("condition", hcl.Expr(rule.condition)),
                    hcl.Attribute("error_message", message),
                ],
            ),
        ]
    return hcl.Block("variable", [var.name], body)


def _validations(var: Variable) -> list[Validation]:
    rules = list(var.validations)
    if var.enum is not None:
        choices = hcl.render_value(list(var.enum))
        allowed = ", ".join(str(c) for c in var.enum)
        if not var.required and var.default is None:
            # coalesce() keeps null allowed without evaluating contains() on a null value.
            subject = f"coalesce(var.{var.name}, {json.dumps(var.enum[0])})"
            message = f"The {var.name} must be null or one of: {allowed}."
        else:
            subject, message = f"var.{var.name}", f"The {var.name} must be one of: {allowed}."
        rules.insert(0, Validation(f"contains({choices}, {subject})", message))
    return rules


def outputs_tf(outputs: Sequence[Output]) -> str:
    blocks = []
    for out in outputs:
        body: list[hcl.BodyItem] = [
            hcl.Attribute("description", out.description),
            hcl.Attribute("value", hcl.Expr(out.value)),
        ]
        if out.sensitive:
            body.append(hcl.Attribute("sensitive", True))
        blocks.append(hcl.Block("output", [out.name], body))
    return hcl.render(blocks)


def versions_tf(providers: Iterable[Provider]) -> str:
    required = {
        p.name: {"source": p.source, "version": p.version}
        for p in sorted(providers, key=lambda p: p.name)
    }
    body: list[hcl.BodyItem] = [hcl.Attribute("required_version", REQUIRED_TERRAFORM)]
    if required:
        body.append(
            hcl.Block(
                "required_providers",
                body=[hcl.Attribute(name, spec) for name, spec in required.items()],
            )
        )
    return hcl.render(
        [
            hcl.Comment("Terraform and provider versions this module is written and tested for."),
            hcl.Block("terraform", body=body),
        ]
    )


def _markdown_cell(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _default_cell(default: object) -> str:
    text = json.dumps(default)
    return "see `variables.tf`" if len(text) > 60 else f"`{_markdown_cell(text)}`"


def inputs_table(variables: Sequence[Variable]) -> str:
    rows = [
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
    ]
    for var in variables:
        default = "" if var.required else _default_cell(var.default)
        new = "" if var.typhoon else " *(new)*"
        # A multi-line type (an object with optional attributes) is read in variables.tf.
        type_cell = f"`{var.type}`" if "\n" not in var.type else "object, see `variables.tf`"
        rows.append(
            f"| `{var.name}` | {_markdown_cell(var.description)}{new} | {type_cell} | {default} "
            f"| {'yes' if var.required else 'no'} |"
        )
    return "\n".join(rows) + "\n"


def outputs_table(outputs: Sequence[Output]) -> str:
    rows = ["| Name | Description | Sensitive |", "|------|-------------|:---------:|"]
    for out in outputs:
        new = "" if out.typhoon else " *(new)*"
        rows.append(
            f"| `{out.name}` | {_markdown_cell(out.description)}{new} | "
            f"{'yes' if out.sensitive else 'no'} |"
        )
    return "\n".join(rows) + "\n"
