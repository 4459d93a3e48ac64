"""Helpers behind the OpenAI API errors tutorial: a simulated API, clocks, rate limits and the catalog."""

__version__ = "0.1.0"
