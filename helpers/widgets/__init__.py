"""ipywidgets dashboards over the simulator, the experiments and the plots. Each can be driven from code."""

from .backoff_lab import BackoffLab
from .explorer import ErrorExplorer
from .race import StrategyRace
from .throttle_lab import ThrottleLab

__all__ = ["BackoffLab", "ErrorExplorer", "StrategyRace", "ThrottleLab"]
