"""One registry of backoff strategies: a strategy registered once shows in every dashboard and in the CLI."""

from __future__ import annotations

import json

import pytest

from helpers.experiments.__main__ import main as experiments_cli
from helpers.retry import STRATEGIES, Constant, Strategy, make_backoff
from helpers.retry.strategies import get_strategy, register
from helpers.widgets import BackoffLab, StrategyRace, ThrottleLab


@pytest.fixture
def stepped():
    """A made-up strategy ("stepped"), registered for one test only: wait n·base, at most cap."""

    class Stepped(Constant):
        name = "stepped"

        def delay(self, n, rng, previous=None, retry_after=None):
            return min(self.cap, n * self.seconds)

    def build(base, cap, first):
        policy = Stepped(base)
        policy.cap, policy.formula = cap, f"min({cap:g}, n·{base:g})"
        return policy

    strategy = register(Strategy("stepped", "stepped backoff", "min(cap, n·base)", build))
    yield strategy
    del STRATEGIES["stepped"]


def test_a_registered_strategy_appears_in_every_dashboard_and_the_cli(stepped, capsys):
    lab = BackoffLab(debounce=0)
    assert ("stepped backoff", "stepped") in lab.strategy.options
    lab.set(strategy="stepped", base=2.0, cap=5.0, clients=5)
    assert "min(5, n·2)" in lab.table_html.value and not lab.message.value

    race = StrategyRace(debounce=0, strategy3="stepped backoff", strategy4="stepped backoff + Retry-After")
    assert list(race.result) == ["exponential", "full jitter", "stepped backoff", "stepped backoff + Retry-After"]

    throttle = ThrottleLab(debounce=0, backoff="stepped backoff")
    assert throttle.result and not throttle.message.value

    assert experiments_cli(["contention", "--clients", "5", "--runs", "2", "--json"]) == 0
    names = [row["strategy"] for row in json.loads(capsys.readouterr().out)["results"]]
    assert "stepped" in names


def test_names_and_labels_are_unique_and_lookups_say_what_is_known():
    with pytest.raises(ValueError, match="already registered"):
        register(Strategy("full_jitter", "something new", "", lambda base, cap, first: Constant(base)))
    with pytest.raises(ValueError, match="already registered"):
        register(Strategy("new_name", "full jitter", "", lambda base, cap, first: Constant(base)))
    with pytest.raises(ValueError, match="full_jitter"):
        get_strategy("stepped")
    assert get_strategy("full jitter") is get_strategy("full_jitter")


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_every_strategy_builds_fresh_policies_in_either_indexing(name):
    first, second = make_backoff(name, 5, 2000), make_backoff(name, 5, 2000, first_exponent=1)
    assert first is not second and first.formula
    assert STRATEGIES[name].label and STRATEGIES[name].formula
