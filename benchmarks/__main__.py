"""Run every benchmark: python -m benchmarks."""

from . import browser, experiments, inprocess, notebooks, occ, server, widgets

if __name__ == "__main__":
    inprocess.run()
    server.run()
    occ.run()
    experiments.run()
    widgets.run()
    browser.run()  # prints a 'skipped' line where Chromium or Playwright is missing
    notebooks.run()
