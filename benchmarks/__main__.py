"""Run every benchmark: python -m benchmarks."""

from . import experiments, inprocess, occ, server, widgets

if __name__ == "__main__":
    inprocess.run()
    server.run()
    occ.run()
    experiments.run()
    widgets.run()
