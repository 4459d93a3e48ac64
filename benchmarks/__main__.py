"""Run every benchmark: python -m benchmarks."""

from . import inprocess, server

if __name__ == "__main__":
    inprocess.run()
    server.run()
