"""Renderers: text (terminal), Markdown (pull-request comment), JSON, all from
``Plan.to_dict()``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jiracfg.render import json_out, markdown, text

Renderer = Callable[[dict[str, Any], bool], str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "markdown": markdown.render,
    "json": json_out.render,
}

__all__ = ["RENDERERS", "Renderer"]
