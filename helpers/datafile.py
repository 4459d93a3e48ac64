"""Read the JSON files in `data/` and check them against their schemas in `data/schema/`.

A misspelt key must stop the load instead of loading and silently doing nothing, and the error must say
which file, which key and what was expected, in a sentence rather than a jsonschema report.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCHEMA_DIR = DATA_DIR / "schema"
_JSON_TYPES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    type(None): "null",
    list: "array",
    dict: "object",
}
_MAX_PROBLEMS = 10


class DataError(ValueError):
    """A data file that does not match its schema; the message names the file, the key and what was wrong."""


def display(path: str | Path) -> str:
    """The path as a person would type it: relative to the repository when inside it."""
    path = Path(path).resolve()
    root = DATA_DIR.parent
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def read_json(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{display(path)}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None


def schema(name: str) -> dict[str, Any]:
    """`data/schema/<name>.schema.json`, freshly parsed so that a caller may add to it."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _compiled(schema_text: str):
    """A fast validator for a schema, compiled once per process (fastjsonschema imports in milliseconds)."""
    import fastjsonschema

    return fastjsonschema.compile(json.loads(schema_text))


def check(raw: Any, schema: dict[str, Any], source: str) -> None:
    """Raise `DataError` listing every place where `raw` breaks `schema`; `source` names the file.

    Two validators, for two jobs: fastjsonschema says yes or no on every load (milliseconds), and only when it
    says no does jsonschema, slow to import (most of a second), list every problem for the message."""
    import fastjsonschema

    try:
        _compiled(json.dumps(schema, sort_keys=True))(raw)
        return
    except fastjsonschema.JsonSchemaException as exc:
        fast_verdict = exc.message
    from jsonschema import Draft7Validator

    errors = sorted(Draft7Validator(schema).iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:  # the two validators disagree: still refuse, with what the fast one said
        raise DataError(f"{source}: {fast_verdict}")
    lines = list(
        dict.fromkeys(f"{source}: {_where(e, raw)}: {what}" for error in errors for e, what in _explain(error))
    )
    if len(lines) > _MAX_PROBLEMS:
        lines[_MAX_PROBLEMS:] = [f"... and {len(lines) - _MAX_PROBLEMS} more"]
    raise DataError("\n".join(lines))


def _where(error, raw: Any) -> str:
    """The key path, e.g. `models.gpt-demo-flaky.faults`; list items show their `id` when they have one."""
    where, node = "", raw
    for step in error.absolute_path:
        node = node[step]
        if isinstance(step, int):
            where += f"[id={node['id']}]" if isinstance(node, dict) and isinstance(node.get("id"), str) else f"[{step}]"
        else:
            where += f".{step}" if where else str(step)
    return where or "top level"


def _explain(error):
    """(error, sentence) pairs; a failed anyOf/oneOf is explained by the branches meant for the value's type,
    or, when none fits, by the schema's description of what is expected."""
    if error.validator in ("anyOf", "oneOf"):
        other_type = {e.relative_schema_path[0] for e in error.context if e.validator == "type" and not e.relative_path}
        inner = [e for e in error.context if e.relative_schema_path[0] not in other_type and e.validator != "required"]
        if inner:
            return [pair for e in inner for pair in _explain(e)]
        if "description" in error.schema:
            return [(error, f"expected {error.schema['description']}")]
    return [(error, _sentence(error))]


def _sentence(error) -> str:
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "additionalProperties" and value is False:
        known = list(error.schema.get("properties", {}))
        unknown = [k for k in instance if k not in known]
        return f"unknown key {_quote(unknown)} (known: {', '.join(known)})"
    if kind == "required":
        return f"missing required key {_quote([k for k in value if k not in instance])}"
    if kind == "dependencies":
        needs = [
            f"'{k}' needs {_quote([n for n in v if n not in instance])}" for k, v in value.items() if k in instance
        ]
        return "; ".join(needs)
    if kind == "type":
        wanted = " or ".join(value) if isinstance(value, list) else value
        return f"expected {wanted}, got {_JSON_TYPES.get(type(instance), 'value')} {_short(instance)}"
    if kind == "enum":
        return f"unknown value {_short(instance)} (known: {', '.join(map(str, value))})"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[kind]
        return f"expected a number {sign} {value}, got {_short(instance)}"
    if kind == "pattern":
        return f"expected text matching {value}, got {_short(instance)}"
    return error.message


def _quote(keys: list[str]) -> str:
    return ", ".join(f"'{k}'" for k in keys)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
