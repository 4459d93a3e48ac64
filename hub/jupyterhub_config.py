"""A workshop hub on one machine: `make hub` (or `jupyterhub -f hub/jupyterhub_config.py`).

JupyterHub with its real proxy (configurable-http-proxy, installed into hub/node_modules by `npm ci`), bound to
127.0.0.1 only, a shared workshop password (throwaway: any name logs in with it), local processes for the learners'
servers (no system users are created: every server runs as the user who started the hub, with its own home under
the state folder), this project's Python environment in every server and kernel, nbgitpuller in every server, and an
idle culler so that abandoned servers and kernels give their memory back.

Settings come from the environment, so the load driver and the tests can start a hub of their own:
WORKSHOP_PORT (8000), WORKSHOP_HUB_PORT (8081), WORKSHOP_PROXY_API_PORT (8001), WORKSHOP_STATE_DIR (hub/state),
WORKSHOP_PASSWORD (workshop-password), WORKSHOP_CULL_S (3600: servers idle this long are stopped; kernels idle a
third of it are shut down).
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it when it loads this file)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
STATE = Path(os.environ.get("WORKSHOP_STATE_DIR", HERE / "state")).resolve()
(STATE / "homes").mkdir(parents=True, exist_ok=True)
CULL_S = int(os.environ.get("WORKSHOP_CULL_S", "3600"))

# Network: everything on the loopback interface.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ.get("WORKSHOP_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("WORKSHOP_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('WORKSHOP_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.ConfigurableHTTPProxy.should_start = True

# State: one folder, thrown away with the workshop.
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# Learners: any name, one shared password (at least 8 characters), no admin account.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("WORKSHOP_PASSWORD", "workshop-password")
c.Authenticator.allow_all = True

# Servers: a local process per learner, home under the state folder, this project's environment.
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180  # a loaded two-core machine starting many servers at once is slow
c.Spawner.http_timeout = 180
c.Spawner.environment = {
    "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
    "PYTHONPATH": str(ROOT),  # the course's `helpers`, whatever folder the learner's notebooks live in
    "LANG": os.environ.get("LANG", "C.UTF-8"),
    "MPLBACKEND": "Agg",
}
c.Spawner.args = [
    # kernels nobody has used for a while are shut down by the server itself
    f"--MappingKernelManager.cull_idle_timeout={max(CULL_S // 3, 60)}",
    "--MappingKernelManager.cull_interval=60",
    "--LabApp.news_url=",
    "--LabServerApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    *(["--allow-root"] if os.geteuid() == 0 else []),
]

# The idle culler: stops servers with no activity for WORKSHOP_CULL_S seconds.
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_S}", "--cull-every=60"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

# The link to hand out, printed where the instructor sees it.
sys.path.insert(0, str(ROOT))
from hub.link import course_link  # noqa: E402

print(f"\nLearners' link (password {c.SharedPasswordAuthenticator.user_password!r}):", file=sys.stderr)
print(f"  {course_link(f'http://127.0.0.1:{c.JupyterHub.port}')}\n", file=sys.stderr)
