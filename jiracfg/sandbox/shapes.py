"""Declarative shapes of request bodies: the one place the sandbox checks JSON types.

Jira reads a body into typed beans (Jackson) and answers 400 when a value has the wrong JSON type,
before any route logic runs. A route declares the shape of what it reads and
``http.body_object(request, SHAPE)`` refuses the rest the same way, so route code may trust the
types it declared. A shape is one of:

``str``, ``int``, ``bool``, ``float``, ``dict``, ``list``, ``object``
    that JSON type (``int`` is never a boolean, ``float`` takes any number, ``object`` anything);
``Text(limit)``
    a string of at most ``limit`` characters (Jira's "must not exceed" answer);
``ID``
    a string or a number (Jira reads ids either way; routes use ``str(value)``);
``(a, b)``
    either shape;
``Required(shape)``
    a field that must be present and not null;
``[item]``
    an array whose every element has shape ``item`` (a null element is refused);
``{"field": shape, ...}``
    an object whose listed fields, when present and not null, have their shapes; other fields
    pass (Jira ignores what it does not read).

A null field is allowed everywhere (Jackson reads it as "not given"); a null array element is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

INVALID_PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again."


@dataclass(frozen=True)
class Text:
    """A string of at most ``limit`` characters."""

    limit: int
    message: str = ""


@dataclass(frozen=True)
class Required:
    """An object field that must be given (not missing, not null)."""

    shape: Any


ID: tuple[type, ...] = (str, int)

# Top-level fields that mean the same in every Jira bean that has them (a route's own shape
# overrides): checked for every object body, so no route stores a list where a string belongs.
COMMON: dict[str, Any] = dict.fromkeys(
    ["name", "description", "key", "url", "iconUrl", "jql", "leadAccountId", "projectTypeKey"],
    str,
)
COMMON.update({key: [ID] for key in ["ids", "issueTypeIds", "projectIds", "workflowSchemeIds"]})
COMMON.update(dict.fromkeys(["projectId", "avatarId", "categoryId", "issueTypeId"], ID))
NAMES = {str: "a string", int: "a number", float: "a number", bool: "a boolean"}
NAMES.update({dict: "an object", list: "an array"})


class ShapeError(Exception):
    """``where`` (a dotted path into the body) does not have the declared shape."""

    def __init__(self, where: str, expected: str, refusal: bool = False) -> None:
        super().__init__(where, expected)
        self.where = where or "body"
        self.expected = expected
        self.refusal = refusal


def check(value: Any, shape: Any, where: str = "") -> None:
    """Raise ShapeError when ``value`` does not have ``shape`` (see the module docstring)."""
    if isinstance(shape, dict):
        _object(value, shape, where)
    elif isinstance(shape, list):
        _array(value, shape[0] if shape else object, where)
    elif isinstance(shape, tuple):
        _either(value, shape, where)
    elif isinstance(shape, Text):
        _text(value, shape, where)
    elif not _is(value, shape):
        raise ShapeError(where, f"must be {NAMES.get(shape, shape.__name__)}")


def _is(value: Any, kind: type) -> bool:
    if kind is object:
        return True
    if kind in (int, float) and isinstance(value, bool):
        return False
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


def _object(value: Any, fields: dict[str, Any], where: str) -> None:
    if not isinstance(value, dict):
        raise ShapeError(where, "must be an object")
    for name, shape in fields.items():
        path = f"{where}.{name}" if where else name
        if isinstance(shape, Required):
            if value.get(name) is None:
                raise ShapeError(path, "is required")
            shape = shape.shape
        if value.get(name) is not None:
            check(value[name], shape, path)


def _array(value: Any, item: Any, where: str) -> None:
    if not isinstance(value, list):
        raise ShapeError(where, "must be an array")
    for i, element in enumerate(value):
        if element is None:
            raise ShapeError(f"{where}[{i}]", "must not be null")
        check(element, item, f"{where}[{i}]")


def _either(value: Any, shapes: tuple[Any, ...], where: str) -> None:
    errors = []
    for shape in shapes:
        try:
            check(value, shape, where)
            return
        except ShapeError as exc:
            errors.append(exc.expected)
    raise ShapeError(where, " or ".join(dict.fromkeys(errors)))


def _text(value: Any, shape: Text, where: str) -> None:
    if not isinstance(value, str):
        raise ShapeError(where, "must be a string")
    if len(value) > shape.limit:
        message = shape.message or f"The {where} can't exceed {shape.limit} characters."
        raise ShapeError(where, message, refusal=True)
