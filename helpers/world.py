"""The demo world: who holds which key, which organization pays for what, and the limits each tier gets.

It is plain data loaded from `data/world.json`; the simulator keeps the changing parts (spend, buckets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datafile import DATA_DIR, DataError, check, display, read_json, schema

DEFAULT_WORLD_PATH = DATA_DIR / "world.json"
ALL_SCOPES = ("model.request", "api.model.read")


@dataclass(frozen=True)
class Limits:
    rpm: int | None = None
    tpm: int | None = None
    rpd: int | None = None
    tpd: int | None = None


@dataclass(frozen=True)
class Model:
    id: str
    kind: str  # "chat" or "embedding"
    context_window: int
    usd_per_1m_input: float
    usd_per_1m_output: float
    dimensions: int = 0
    max_output_tokens: int | None = None
    faults: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Tier:
    name: str
    payment_method: bool
    limits: dict[str, Limits]

    def limits_for(self, model: str) -> Limits:
        return self.limits.get(model) or self.limits.get("default") or Limits()


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    tier: str
    spend_usd: float
    limit_usd: float | None
    billing_code: str


@dataclass(frozen=True)
class Project:
    id: str
    org: str
    spend_usd: float = 0.0
    limit_usd: float | None = None


@dataclass(frozen=True)
class User:
    id: str
    orgs: tuple[str, ...]
    country: str


@dataclass(frozen=True)
class Key:
    secret: str
    user: str
    org: str | None
    project: str | None = None
    revoked: bool = False
    retry_hint: bool = True  # False: rate-limit 429s carry no Retry-After / retry-after-ms
    scopes: tuple[str, ...] = ALL_SCOPES


@dataclass(frozen=True)
class World:
    models: dict[str, Model]
    tiers: dict[str, Tier]
    organizations: dict[str, Organization]
    projects: dict[str, Project]
    users: dict[str, User]
    keys: dict[str, Key]
    unsupported_countries: frozenset[str] = frozenset()
    default_max_tokens: int = 256
    allowed_service_tiers: tuple[str, ...] = ("auto", "default")

    def limits(self, org_id: str, model: str) -> Limits:
        return self.tiers[self.organizations[org_id].tier].limits_for(model)


def load_world(path: str | Path | None = None) -> World:
    """Load a world file (the default one unless told otherwise), checking its shape and that every reference
    resolves."""
    path = Path(path or DEFAULT_WORLD_PATH)
    return world_from_dict(read_json(path), source=display(path))


def world_from_dict(raw: dict[str, Any], source: str = "world") -> World:
    """Build a world from parsed JSON; checked against `data/schema/world.schema.json` first, so that a
    misspelt key (a fault knob, a limit) is refused instead of silently ignored. `source` names it in errors."""
    check(raw, schema("world"), source)
    world = World(
        models={k: Model(id=k, **v) for k, v in raw["models"].items()},
        tiers={
            k: Tier(k, v["payment_method"], {m: Limits(**lim) for m, lim in v["limits"].items()})
            for k, v in raw["tiers"].items()
        },
        organizations={k: Organization(id=k, **v) for k, v in raw["organizations"].items()},
        projects={k: Project(id=k, **v) for k, v in raw.get("projects", {}).items()},
        users={k: User(id=k, orgs=tuple(v["orgs"]), country=v["country"]) for k, v in raw["users"].items()},
        keys={k: Key(secret=k, **{**v, "scopes": tuple(v.get("scopes", ALL_SCOPES))}) for k, v in raw["keys"].items()},
        unsupported_countries=frozenset(raw.get("unsupported_countries", ())),
        **raw.get("defaults", {}),
    )
    _check_references(world, source)
    return world


def _check_references(world: World, source: str) -> None:
    """What the schema cannot say: every name used in the world is defined in it."""
    problems = []

    def expect(where: str, name: str | None, known, what: str) -> None:
        if name is not None and name not in known:
            problems.append(f"{source}: {where}: unknown {what} {name!r} (known: {', '.join(known)})")

    for tier in world.tiers.values():
        for model in tier.limits:
            expect(f"tiers.{tier.name}.limits", model, ["default", *world.models], "model")
    for org in world.organizations.values():
        expect(f"organizations.{org.id}.tier", org.tier, world.tiers, "tier")
    for proj in world.projects.values():
        expect(f"projects.{proj.id}.org", proj.org, world.organizations, "organization")
    for user in world.users.values():
        for org_id in user.orgs:
            expect(f"users.{user.id}.orgs", org_id, world.organizations, "organization")
    for key in world.keys.values():
        expect(f"keys.{key.secret}.user", key.user, world.users, "user")
        expect(f"keys.{key.secret}.org", key.org, world.organizations, "organization")
        expect(f"keys.{key.secret}.project", key.project, world.projects, "project")
    if problems:
        raise DataError("\n".join(problems))
