"""HCL writer: build blocks, attributes and values, render `terraform fmt`-canonical text."""

from typhoon_tf.hcl.model import Attribute, Blank, Block, BodyItem, Comment, Expr, Template, Value
from typhoon_tf.hcl.strings import quote
from typhoon_tf.hcl.writer import is_identifier, render, render_value

__all__ = [
    "Attribute",
    "Blank",
    "Block",
    "BodyItem",
    "Comment",
    "Expr",
    "Template",
    "Value",
    "is_identifier",
    "quote",
    "render",
    "render_value",
]
