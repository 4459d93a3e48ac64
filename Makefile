# Every target builds .venv first if it is missing, so a fresh machine needs only Python 3.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HUB_STAMP  := $(VENV)/.installed-hub
HUB_PORT ?= 8000
PORT   ?= 8888
# The notebook JupyterLab opens; the Chinese course: make lab NOTEBOOK=notebooks/zh/00_start_here.ipynb
NOTEBOOK ?= notebooks/00_start_here.ipynb
SIM_PORT ?= 8000
SEED   ?= 0
# Open a browser only where there is a screen to show it on.
BROWSER_FLAG := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname -s))),,--no-browser)
# Jupyter refuses to run as root (containers, some cloud machines) unless told it is on purpose.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test test-fast lint format bench serve hub venv clean

venv: $(STAMP)

# The packages go in with uv, bootstrapped into the new venv by pip: the same packages, several times faster
# than pip (`python -m benchmarks.install` measures both). Plain pip is the fallback when uv cannot be had or fails (or with `make venv INSTALLER=pip`).
INSTALLER ?= uv
UV_SPEC   ?= uv
UV        := $(VENV)/bin/uv
# $(call install,ARGS): install ARGS into the venv with uv if it is there, else (or if uv fails) with pip.
define install
	@if [ -x $(UV) ]; then \
	  $(UV) pip install --python $(PY) $(1) || { echo ">> uv failed; installing with pip instead (slower)"; \
	  $(PY) -m pip install --progress-bar off $(1); }; \
	else $(PY) -m pip install --progress-bar off $(1); fi
endef

$(STAMP): pyproject.toml
	@echo ">> [1/4] Creating the virtual environment $(VENV) (first time only, under a minute)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	@echo ">> [2/4] Fetching the fast installer (uv)"
	@if [ "$(INSTALLER)" = uv ] && $(PY) -m pip install --quiet "$(UV_SPEC)"; then echo ">> uv is ready"; else \
	  rm -f $(UV); echo ">> Installing with pip instead (slower)"; $(PY) -m pip install --quiet --upgrade pip; fi
	@echo ">> [3/4] Installing the course and its dependencies into $(VENV)"
	$(call install,-e .)
	@echo ">> [4/4] Registering the Jupyter kernel"
	@$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" >/dev/null
	@touch $(STAMP)
	@echo ">> $(VENV) is ready"

# The tests need a few more packages (pytest, hypothesis, playwright, ...); learners who only run the
# course never download them.
$(TEST_STAMP): $(STAMP)
	@echo ">> Installing the test tools into $(VENV)"
	$(call install,-e ".[test]")
	@touch $(TEST_STAMP)

# The workshop hub's Python packages (extra `hub`) and its proxy, from npm into hub/node_modules (never global).
$(HUB_STAMP): $(STAMP) hub/package-lock.json
	@echo ">> Installing the workshop hub's packages into $(VENV)"
	$(call install,-e ".[hub]")
	cd hub && npm ci --no-audit --no-fund --silent
	@touch $(HUB_STAMP)

lab: venv
	@echo ">> Starting JupyterLab on http://127.0.0.1:$(PORT) with $(NOTEBOOK) (Ctrl+C stops it)"
	@echo ">> If no browser opens, copy the URL with the token that JupyterLab prints below"
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(BROWSER_FLAG) $(ROOT_FLAG) $(NOTEBOOK)

# Everything: lint, then every test (notebooks run headless, JupyterLab in headless Chromium).
test: lint $(HUB_STAMP)
	$(PY) -m pytest -q

# The quick lane while you work: lint and every test but the notebooks, the browser and the hub (about 90 s).
test-fast: lint
	$(PY) -m pytest -q -m "not notebooks and not browser and not hub"

# ruff over the package, the tests, the benchmarks, the tools and the notebooks' plain-text sources.
lint: $(TEST_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Fix what can be fixed by machine: formatting, import order; then rewrite the notebooks from their sources.
format: $(TEST_STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .
	$(PY) tools/sync_notebooks.py

bench: $(TEST_STAMP)
	$(PY) -m benchmarks

serve: venv
	$(PY) -m helpers.simulator serve --port $(SIM_PORT) --seed $(SEED)

# A multi-user workshop on this machine: JupyterHub on http://127.0.0.1:$(HUB_PORT), any name with the password
# below; it prints the learners' nbgitpuller link. Ctrl-C stops it and every learner's server.
HUB_PASSWORD ?= workshop-password
hub: $(HUB_STAMP)
	WORKSHOP_PORT=$(HUB_PORT) WORKSHOP_PASSWORD=$(HUB_PASSWORD) PYTHONPATH=$(CURDIR) $(VENV)/bin/jupyterhub -f hub/jupyterhub_config.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis hub/node_modules hub/state
