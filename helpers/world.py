"""The demo world: who holds which key, which organization pays for what, and the limits each tier gets.

It is plain data loaded from `data/world.json`; the simulator keeps the changing parts (spend, buckets).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
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
    """Load a world file (the default one unless told otherwise), checking that every reference resolves."""
    raw = json.loads(Path(path or DEFAULT_WORLD_PATH).read_text(encoding="utf-8"))
    return world_from_dict(raw)


def world_from_dict(raw: dict[str, Any]) -> World:
    try:
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
    except (KeyError, TypeError) as exc:
        raise ValueError(f"world file is malformed: {exc}") from None
    _check_references(world)
    return world


def _check_references(world: World) -> None:
    problems = []
    for org in world.organizations.values():
        if org.tier not in world.tiers:
            problems.append(f"organization {org.id} names unknown tier {org.tier!r}")
    for proj in world.projects.values():
        if proj.org not in world.organizations:
            problems.append(f"project {proj.id} names unknown organization {proj.org!r}")
    for key in world.keys.values():
        if key.user not in world.users:
            problems.append(f"key {key.secret} names unknown user {key.user!r}")
        if key.org is not None and key.org not in world.organizations:
            problems.append(f"key {key.secret} names unknown organization {key.org!r}")
        if key.project is not None and key.project not in world.projects:
            problems.append(f"key {key.secret} names unknown project {key.project!r}")
    if problems:
        raise ValueError("world file is inconsistent: " + "; ".join(problems))
