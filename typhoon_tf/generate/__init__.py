"""Module generation: platform descriptions + node templates → Terraform module trees.

from typhoon_tf.config import load_cluster_config
from typhoon_tf.generate import generate
generate(load_cluster_config("cluster.yaml"), Path("tempest"))
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typhoon_tf.config import ClusterConfig


def generate(
    config: ClusterConfig,
    out_dir: Path,
    *,
    force: bool = False,
    backend: tuple[str, Mapping[str, object]] | None = None,
) -> Path:
    """Render the root module for `config` and write it to `out_dir` (see output_dir).

    `backend` = (kind, options) adds a `backend.tf` for shared, locked state
    (see `typhoon_tf.generate.backend`); local state is the default.
    """
    # Imported here so `typhoon_tf.generate.<submodule>` users don't load the whole chain.
    from typhoon_tf.generate.backend import BACKEND_FILE, backend_block
    from typhoon_tf.generate.output_dir import write_generated_dir
    from typhoon_tf.generate.root_module import root_module

    files = root_module(config)
    if backend is not None:
        files[BACKEND_FILE] = backend_block(*backend)
    write_generated_dir(out_dir, files, force=force)
    return out_dir


__all__ = ["generate"]
