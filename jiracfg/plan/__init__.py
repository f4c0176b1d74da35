"""Planning: compare a desired and a live Snapshot into an ordered list of Changes (pure data)."""

from __future__ import annotations

from jiracfg.plan.model import Action, Change, FieldChange, Plan, Problem

__all__ = ["Action", "Change", "FieldChange", "Plan", "Problem"]
