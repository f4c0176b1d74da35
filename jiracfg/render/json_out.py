"""The machine-readable plan: ``Plan.to_dict()`` as JSON (also the saved plan file format)."""

from __future__ import annotations

import json
from typing import Any


def render(plan: dict[str, Any], color: bool = False) -> str:
    return json.dumps(plan, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
