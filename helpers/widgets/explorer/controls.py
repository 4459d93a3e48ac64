"""Selection widgets that never raise on a value outside their options, so driving the explorer from code
with a typo gives a message in the explorer instead of a traceback."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from traitlets import validate


class Forgiving:
    """Maps aliases (such as a label) to values, keeps the current value when given an unknown one, and
    reports the unknown one to `on_reject(widget, value)`."""

    def __init__(self, *args, aliases: dict[str, Any] | None = None, on_reject=None, **kwargs):
        self._aliases = dict(aliases or {})
        self._on_reject = on_reject
        super().__init__(*args, **kwargs)

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal.value
        if value is None:
            return None
        if isinstance(value, str):
            value = self._aliases.get(value, value)
        for option in self._options_values:
            if self.equals(option, value):
                return option
        if self._on_reject is not None:
            self._on_reject(self, proposal.value)
        return self.value


class Dropdown(Forgiving, widgets.Dropdown):
    pass


class ToggleButtons(Forgiving, widgets.ToggleButtons):
    pass


__all__ = ["Dropdown", "Forgiving", "ToggleButtons"]
