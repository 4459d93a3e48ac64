"""Benchmarks: `make bench` prints `BENCH <name> <value> <unit> ratio=<value/baseline> baseline=<what>`."""
