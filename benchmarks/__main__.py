"""Run every benchmark: python -m benchmarks."""

from . import browser, experiments, inprocess, notebooks, occ, server, streaming, widgets

if __name__ == "__main__":
    inprocess.run()
    server.run()
    streaming.run()
    occ.run()
    experiments.run()
    widgets.run()
    browser.run()  # prints a 'skipped' line where Chromium or Playwright is missing
    notebooks.run()
