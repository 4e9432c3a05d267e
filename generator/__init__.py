"""`generator`: renders the JS glue, TypeScript declarations and
reference docs of the polyfill from `spec/` (see README.md in this folder).

`generate(root, check=False)` writes every output; with check=True it
writes nothing and returns non-zero if any output is stale.
"""

from __future__ import annotations

from .render import OUTPUTS, SpecView, generate, render_all

__all__ = ["OUTPUTS", "SpecView", "generate", "render_all"]
