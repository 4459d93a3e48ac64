"""Run every benchmark: python -m benchmarks."""

from . import experiments, inprocess, notebooks, occ, server, streaming, widgets

if __name__ == "__main__":
    inprocess.run()
    server.run()
    streaming.run()
    occ.run()
    experiments.run()
    widgets.run()
    notebooks.run()
