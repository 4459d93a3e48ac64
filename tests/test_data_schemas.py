"""data/world.json and data/catalog.json against their schemas: the shipped files pass, broken copies fail
with a message that names the file, the key and what was expected; and the schemas agree with the code."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from helpers import world as world_module
from helpers.catalog import CATALOG_PATH, PLACEHOLDER, Entry, load_catalog
from helpers.datafile import SCHEMA_DIR, DataError, schema
from helpers.simulator import wire
from helpers.simulator.core import SCOPES
from helpers.simulator.faults import FAULT_KNOBS
from helpers.world import DEFAULT_WORLD_PATH, load_world


def _broken_copy(tmp_path, original, change):
    raw = json.loads(original.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / original.name
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def _entry(raw, entry_id):
    return next(e for e in raw["entries"] if e["id"] == entry_id)


def _refused(load, path) -> str:
    with pytest.raises(DataError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "Failed validating" not in message
    assert "\n" not in message, "one problem, one line"
    return message


@pytest.mark.parametrize("name", ["world", "catalog"])
def test_the_schemas_are_valid_json_schema(name):
    Draft7Validator.check_schema(schema(name))
    assert (SCHEMA_DIR / f"{name}.schema.json").is_file()


def test_the_shipped_files_validate():
    assert load_world().models and load_catalog()


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda raw: raw["models"]["gpt-demo-flaky"]["faults"].update(faill_rate=0.2),
            "models.gpt-demo-flaky.faults: unknown key 'faill_rate' (known: server_error_share, ",
        ),
        (
            lambda raw: raw["models"]["gpt-demo-flaky"]["faults"].update(server_error_share="0.2"),
            'models.gpt-demo-flaky.faults.server_error_share: expected number, got string "0.2"',
        ),
        (
            lambda raw: raw["models"]["gpt-demo-busy"]["faults"].update(overload_busy_s=-5),
            "models.gpt-demo-busy.faults.overload_busy_s: expected a number >= 0, got -5",
        ),
        (
            lambda raw: raw["tiers"]["free"]["limits"]["default"].update(rpn=3),
            "tiers.free.limits.default: unknown key 'rpn' (known: rpm, tpm, rpd, tpd)",
        ),
        (
            lambda raw: raw["tiers"]["free"]["limits"].update({"gpt-4o-mnii": {"rpm": 3}}),
            "tiers.free.limits: unknown model 'gpt-4o-mnii'",
        ),
        (
            lambda raw: raw["keys"]["sk-demo-readonly"].update(scopes=["api.models.read"]),
            'keys.sk-demo-readonly.scopes[0]: unknown value "api.models.read" (known: model.request, api.model.read)',
        ),
        (
            lambda raw: raw["keys"]["sk-demo-ok"].update(org="org-missing"),
            "keys.sk-demo-ok.org: unknown organization 'org-missing'",
        ),
        (lambda raw: raw.pop("users"), "top level: missing required key 'users'"),
    ],
)
def test_a_broken_world_is_refused_naming_the_key(tmp_path, change, expected):
    path = _broken_copy(tmp_path, DEFAULT_WORLD_PATH, change)
    assert expected in _refused(load_world, path)


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda raw: _entry(raw, "server_error").pop("sdk_exception"),
            "entries[id=server_error]: missing required key 'sdk_exception'",
        ),
        (
            lambda raw: _entry(raw, "server_error").update(retryable="yes"),
            'entries[id=server_error].retryable: expected boolean, got string "yes"',
        ),
        (
            lambda raw: _entry(raw, "server_error")["trigger"].update(repeats=2),
            "entries[id=server_error].trigger: unknown key 'repeats'",
        ),
        (
            lambda raw: _entry(raw, "incorrect_api_key").update(wire="INCORECT_KEY"),
            'entries[id=incorrect_api_key].wire: unknown value "INCORECT_KEY" (known: ',
        ),
        (
            lambda raw: _entry(raw, "rate_limit_reached").update(wire=["RATE_LIMIT", "RATE_LIMIT_FREE"]),
            'entries[id=rate_limit_reached].wire[1]: unknown value "RATE_LIMIT_FREE"',
        ),
        (
            lambda raw: _entry(raw, "incorrect_api_key")["fill"].update(maskd_key="sk"),
            "entries[id=incorrect_api_key].fill: unknown placeholder 'maskd_key' (INCORRECT_KEY has: masked_key)",
        ),
        (
            lambda raw: _entry(raw, "incorrect_api_key").update(message="Incorrect API key provided"),
            "entries[id=incorrect_api_key]: expected either 'message' or 'wire', not both",
        ),
        (
            lambda raw: _entry(raw, "timeout").pop("message"),
            "entries[id=timeout]: expected either 'message' or 'wire', not both",
        ),
    ],
)
def test_a_broken_catalog_is_refused_naming_the_key(tmp_path, change, expected):
    path = _broken_copy(tmp_path, CATALOG_PATH, change)
    assert expected in _refused(load_catalog, path)


def test_a_file_that_is_not_json_is_refused_with_its_line(tmp_path):
    path = tmp_path / "world.json"
    path.write_text('{"models": {,}}', encoding="utf-8")
    assert "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 13" in _refused(
        load_world, path
    )


def test_a_wording_change_in_wire_py_changes_the_catalog(tmp_path, monkeypatch):
    monkeypatch.setattr(wire, "INCORRECT_KEY", "Wrong key: {masked_key}.")
    path = _broken_copy(tmp_path, CATALOG_PATH, lambda raw: None)  # a fresh path: load_catalog caches by path
    entries = {e.id: e for e in load_catalog(path)}
    assert entries["invalid_authentication"].message == "Wrong key: sk-demo-***oked."


def test_no_entry_copies_a_wire_text():
    raw = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    texts = [v for k, v in vars(wire).items() if k.isupper() and isinstance(v, str) and not v.startswith("https://")]
    pieces = [piece for text in texts for piece in PLACEHOLDER.split(text)[::2] if len(piece) > 20]
    for entry in raw["entries"]:
        copied = [piece for piece in pieces if piece in entry.get("message", "")]
        assert not copied, f'{entry["id"]}: use "wire" instead of copying {copied[0]!r}'


def _properties(definition: str) -> set[str]:
    return set(schema("world")["$defs"][definition]["properties"])


def _fields(cls, *skip) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)} - set(skip)


def test_the_world_schema_agrees_with_the_code():
    assert _properties("faults") == set(FAULT_KNOBS)
    assert set(schema("world")["$defs"]["organization"]["properties"]["billing_code"]["enum"]) == set(
        wire.BILLING_MESSAGES
    )
    assert schema("world")["$defs"]["key"]["properties"]["scopes"]["items"]["enum"] == list(world_module.ALL_SCOPES)
    assert set(SCOPES.values()) == set(world_module.ALL_SCOPES)
    assert _properties("model") == _fields(world_module.Model, "id")
    assert _properties("limits") == _fields(world_module.Limits)
    assert _properties("organization") == _fields(world_module.Organization, "id")
    assert _properties("project") == _fields(world_module.Project, "id")
    assert _properties("user") == _fields(world_module.User, "id")
    assert _properties("key") == _fields(world_module.Key, "secret")
    assert set(schema("world")["properties"]["defaults"]["properties"]) == _fields(
        world_module.World, "models", "tiers", "organizations", "projects", "users", "keys", "unsupported_countries"
    )


def test_the_catalog_schema_agrees_with_the_entry_class():
    entry_schema = schema("catalog")["$defs"]["entry"]
    assert set(entry_schema["properties"]) - {"wire", "fill"} == _fields(Entry)


def test_loading_good_data_never_imports_the_slow_validator():
    """jsonschema costs most of a second to import; it is only needed to explain a file that fails."""
    code = (
        "import sys; from helpers.catalog import load_catalog; from helpers.world import load_world; "
        "load_catalog(); load_world(); print('jsonschema' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.stdout.strip() == "False"
