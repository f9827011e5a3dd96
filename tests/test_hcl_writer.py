"""Exact output of the HCL writer for the constructs the generators rely on."""

from __future__ import annotations

import pytest

from typhoon_tf.hcl import (
    Attribute,
    Blank,
    Block,
    Comment,
    Expr,
    Template,
    quote,
    render,
    render_value,
)


def test_block_with_labels_aligns_consecutive_attributes() -> None:
    text = render(
        [
            Block(
                "resource",
                ["tls_private_key", "kube-ca"],
                [Attribute("algorithm", "RSA"), Attribute("rsa_bits", 2048)],
            )
        ]
    )
    assert text == (
        'resource "tls_private_key" "kube-ca" {\n  algorithm = "RSA"\n  rsa_bits  = 2048\n}\n'
    )


def test_nested_block_is_set_apart_and_breaks_alignment() -> None:
    text = render(
        [
            Block(
                "resource",
                ["x", "y"],
                [
                    Attribute("a", 1),
                    Block("subject", [], [Attribute("common_name", "ca")]),
                    Attribute("longer_name", True),
                ],
            )
        ]
    )
    assert text == (
        'resource "x" "y" {\n'
        "  a = 1\n"
        "\n"
        "  subject {\n"
        '    common_name = "ca"\n'
        "  }\n"
        "\n"
        "  longer_name = true\n"
        "}\n"
    )


def test_top_level_blocks_are_separated_and_comments_attach() -> None:
    text = render([Comment("first\nsecond"), Block("terraform"), Block("locals")])
    assert text == "# first\n# second\nterraform {}\n\nlocals {}\n"


def test_multiline_object_aligns_its_own_keys() -> None:
    text = render_value({"a": 1, "key with space": None, "for": False, "nested": {"x": "y"}})
    assert text == (
        "{\n"
        "  a                = 1\n"
        '  "key with space" = null\n'
        '  "for"            = false\n'
        "  nested = {\n"
        '    x = "y"\n'
        "  }\n"
        "}"
    )


def test_lists_inline_or_one_item_per_line() -> None:
    assert render_value(["a", 1, None, [], {}]) == '["a", 1, null, [], {}]'
    assert render_value([{"a": 1}]) == "[\n  {\n    a = 1\n  },\n]"
    long = ["x" * 40, "y" * 40, "z" * 40]
    assert (
        render_value(long)
        == '[\n  "' + "x" * 40 + '",\n  "' + "y" * 40 + '",\n  "' + "z" * 40 + '",\n]'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", '"plain"'),
        ("${x}", '"$${x}"'),
        ("%{if}", '"%%{if}"'),
        ("$${", '"$$${"'),
        ('say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'),
        ("one\ttab\r", '"one\\ttab\\r"'),
        ("bell\x07", '"bell\\u0007"'),
        ("a$", '"a$"'),
        ("100%", '"100%"'),
        ("é中😀", '"é中😀"'),
    ],
)
def test_quoted_string_escaping(text: str, expected: str) -> None:
    assert quote(text) == expected
    assert render_value(text) == expected


def test_multiline_text_becomes_an_indented_heredoc() -> None:
    text = render([Block("locals", [], [Attribute("t", "a: ${b}\n  c: \\d\n")])])
    assert text == "locals {\n  t = <<-EOT\n    a: $${b}\n      c: \\d\n  EOT\n}\n"


def test_heredoc_without_a_flush_line_is_not_indented() -> None:
    # `<<-` would strip the common indentation, so the text is written as it is.
    assert render_value("  a\n  b\n") == "<<EOT\n  a\n  b\nEOT"


def test_heredoc_marker_avoids_content() -> None:
    assert render_value("EOT\nx\n") == "<<-EOT1\n  EOT\n  x\nEOT1"


def test_text_without_final_newline_stays_quoted() -> None:
    assert render_value("a\nb") == '"a\\nb"'


def test_template_interpolation_and_dollar_before_it() -> None:
    assert render_value(Template("https://", Expr("var.host"), ":6443")) == (
        '"https://${var.host}:6443"'
    )
    # `$${` would be an escape: the dollar is written as an interpolated literal instead.
    assert render_value(Template("cost $", Expr("var.n"))) == '"cost ${"$"}${var.n}"'


def test_multiline_expression_is_reindented() -> None:
    text = render([Block("locals", [], [Attribute("m", Expr("merge(\n  a,\n  b,\n)"))])])
    assert text == "locals {\n  m = merge(\n    a,\n    b,\n  )\n}\n"


def test_blank_item_splits_alignment_groups() -> None:
    text = render([Block("b", [], [Attribute("a", 1), Blank(), Attribute("long", 2)])])
    assert text == "b {\n  a = 1\n\n  long = 2\n}\n"


def test_invalid_names_and_values_are_rejected() -> None:
    with pytest.raises(ValueError):
        render([Attribute("not valid", 1)])
    with pytest.raises(ValueError):
        render_value(float("nan"))
    with pytest.raises(TypeError):
        render_value(object())  # type: ignore[arg-type]
    for label in ['say "hi"', "back\\slash", "${x}", "é"]:
        with pytest.raises(ValueError):
            render([Block("resource", [label])])
