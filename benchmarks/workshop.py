"""A workshop room on a real JupyterHub, measured.

    python -m benchmarks.workshop --learners N          # one room of N learners
    python -m benchmarks.workshop --find-capacity       # the largest room that stays responsive (bounded search)

Each run starts its own hub (hub/jupyterhub_config.py, on free ports of 127.0.0.1, state in a temporary folder).
Every learner, at the same time as the others: logs in through the hub's login form, starts a server through the
hub's REST API, pulls the course with nbgitpuller (the same pull the learners' link starts) and opens the link,
starts a kernel, runs notebooks 00, 03 and 06 cell by cell over the kernel's websocket (as JupyterLab does),
then, once the whole room is there, everyone moves the backoff lab's `clients` slider at the same moment the way
the browser does (a widget `update` message), five times, and each learner times how long until the new figure
arrives. Reported per learner: memory (PSS) of the server and of the kernel, seconds for
each notebook, widget update latency (what the learner waits, the lab's debounce included, if it has one); and for the
room: median and p95 update, CPU and memory. Every process the hub started is stopped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
import nbformat
import psutil
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from helpers.widgets.common import DEBOUNCE_S
from hub.link import COURSE_DIR, course_link, pull_params

from .common import report

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "hub" / "jupyterhub_config.py"
PROXY = ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
NOTEBOOKS = ("00_start_here.ipynb", "03_rate_limits_429.ipynb", "06_backoff_lab.ipynb")
TARGET_MS = 250.0  # the room is responsive while the median update, after the lab's debounce, stays under this
SLIDER_MOVES = (25, 30, 20, 35, 15)  # clients: small settings, which re-render at once (no Run button)
PASSWORD = "workshop-" + uuid.uuid4().hex[:8]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pss_mb(proc: psutil.Process) -> float:
    try:
        info = proc.memory_full_info()
        return getattr(info, "pss", info.rss) / 2**20
    except (psutil.Error, OSError):
        return 0.0


class Hub:
    """A JupyterHub of its own, started from the project's config; `stop` ends it and everything it started."""

    def __init__(self, cull_s: int = 3600):
        self.state = Path(tempfile.mkdtemp(prefix="workshop-hub-"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "WORKSHOP_STATE_DIR": str(self.state),
            "WORKSHOP_PORT": str(self.port),
            "WORKSHOP_HUB_PORT": str(_free_port()),
            "WORKSHOP_PROXY_API_PORT": str(_free_port()),
            "WORKSHOP_PASSWORD": PASSWORD,
            "WORKSHOP_CULL_S": str(cull_s),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
        }
        self.proc: subprocess.Popen | None = None
        self.seen: dict[int, psutil.Process] = {}

    def start(self, timeout: float = 120) -> Hub:
        if not PROXY.exists():
            raise RuntimeError(f"the proxy is not installed: run `npm ci` in {PROXY.parents[2]} (make hub does)")
        self.log = open(self.state / "hub.log", "wb")  # closed in stop()
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG)],
            cwd=self.state,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the hub did not start:\n" + self.log_tail())
            time.sleep(0.3)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return (self.state / "hub.log").read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def processes(self) -> list[psutil.Process]:
        """The hub and every process under it (proxy, culler, servers, kernels); remembered for `stop`."""
        if self.proc is None:
            return []
        try:
            root = psutil.Process(self.proc.pid)
            found = [root, *root.children(recursive=True)]
        except psutil.Error:
            return []
        for p in found:
            self.seen.setdefault(p.pid, p)
        return found

    def server_of(self, user: str) -> psutil.Process | None:
        for p in self.processes():
            with contextlib.suppress(psutil.Error):
                if "jupyterhub-singleuser" in " ".join(p.cmdline()) and p.environ().get("JUPYTERHUB_USER") == user:
                    return p
        return None

    def stop(self) -> None:
        """SIGTERM to the hub (it stops the servers and the proxy), then SIGKILL to anything it left behind."""
        self.processes()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        survivors = [p for p in self.seen.values() if p.is_running()]
        for p in survivors:
            with contextlib.suppress(psutil.Error):
                p.terminate()
        _, alive = psutil.wait_procs(survivors, timeout=10)
        for p in alive:
            with contextlib.suppress(psutil.Error):
                p.kill()
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.state, ignore_errors=True)

    def __enter__(self) -> Hub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class Learner:
    name: str
    phases_s: dict[str, float] = field(default_factory=dict)
    notebook_s: dict[str, float] = field(default_factory=dict)
    updates_ms: list[float] = field(default_factory=list)
    server_mb: float = 0.0
    kernel_mb: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and len(self.notebook_s) == len(NOTEBOOKS) and bool(self.updates_ms)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "ok": self.ok,
            "phases_s": self.phases_s,
            "notebook_s": self.notebook_s,
            "widget_update_ms": self.updates_ms,
            "server_mb": round(self.server_mb, 1),
            "kernel_mb": round(self.kernel_mb, 1),
            "failures": self.failures,
        }


class Kernel:
    """A kernel over the server's websocket, spoken as JupyterLab speaks it (JSON messages with a channel)."""

    def __init__(self, ws, session: str):
        self.ws, self.session = ws, session
        self.comm_values: dict[str, dict] = {}  # widget model id -> last state the kernel sent

    @classmethod
    async def connect(cls, url: str, token: str) -> Kernel:
        session = uuid.uuid4().hex
        request = HTTPRequest(
            f"{url}?session_id={session}", headers={"Authorization": f"token {token}"}, request_timeout=60
        )
        return cls(await websocket_connect(request, max_message_size=64 * 2**20), session)

    def _message(self, msg_type: str, content: dict, channel: str) -> dict:
        header = {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": self.session,
            "username": "learner",
            "version": "5.3",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        return {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel}

    async def _receive(self, timeout: float) -> dict:
        raw = await asyncio.wait_for(self.ws.read_message(), timeout)
        if raw is None:
            raise ConnectionError("the kernel's websocket closed")
        msg = json.loads(raw)
        if msg.get("msg_type") in ("comm_open", "comm_msg"):
            data = msg["content"].get("data", {})
            self.comm_values.setdefault(msg["content"]["comm_id"], {}).update(data.get("state", {}))
        return msg

    async def execute(self, code: str, timeout: float = 180, user_expressions: dict | None = None) -> dict:
        """Run one cell; return the reply, with the cell's error (if any) under 'error'."""
        msg = self._message(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": user_expressions or {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            "shell",
        )
        await self.ws.write_message(json.dumps(msg))
        msg_id, reply, idle, error = msg["header"]["msg_id"], None, False, None
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            got = await self._receive(max(deadline - time.monotonic(), 0.01))
            if got.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = got["msg_type"]
            if kind == "execute_reply":
                reply = got["content"]
            elif kind == "status" and got["content"]["execution_state"] == "idle":
                idle = True
            elif kind == "error":
                error = f"{got['content']['ename']}: {got['content']['evalue']}"
        if reply.get("status") == "error" and error is None:
            error = f"{reply.get('ename')}: {reply.get('evalue')}"
        return {**reply, "error": error}

    async def move(self, slider_id: str, value: int, figure_id: str, timeout: float = 60) -> float:
        """Send the widget update a browser sends when a slider moves; seconds until the new figure arrives."""
        before = self.comm_values.get(figure_id, {}).get("value")
        msg = self._message(
            "comm_msg",
            {"comm_id": slider_id, "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}},
            "shell",
        )
        started = time.perf_counter()
        await self.ws.write_message(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while True:
            got = await self._receive(max(deadline - time.monotonic(), 0.01))
            if got.get("msg_type") != "comm_msg" or got["content"].get("comm_id") != figure_id:
                continue
            value_now = got["content"]["data"].get("state", {}).get("value")
            if value_now is not None and value_now != before:
                return time.perf_counter() - started

    def close(self) -> None:
        self.ws.close()


def code_cells(name: str) -> list[str]:
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code" and cell.source.strip()]


class Room:
    """N learners on one hub, all at once."""

    def __init__(self, hub: Hub, learners: int, kill_one: bool = False):
        self.hub, self.n, self.kill_one = hub, learners, kill_one
        self.learners = [Learner(f"learner{i + 1}") for i in range(learners)]
        self.kernels: dict[str, tuple[Kernel, str, str]] = {}  # name -> (kernel, kernel id, token)
        self.cells = {name: code_cells(name) for name in NOTEBOOKS}
        # the room moves its sliders together, as when the instructor says "now try full jitter"
        self._arrived: set[str] = set()
        self._all_arrived = asyncio.Event()

    def _arrive(self, learner: Learner) -> None:
        self._arrived.add(learner.name)
        if len(self._arrived) == self.n:
            self._all_arrived.set()

    async def run(self) -> dict:
        cpu_before = self._cpu_seconds()
        started = time.perf_counter()
        async with httpx.AsyncClient(timeout=httpx.Timeout(300), follow_redirects=False) as hub_client:
            await asyncio.gather(*(self._learner(learner) for learner in self.learners))
            wall = time.perf_counter() - started
            cpu = self._cpu_seconds() - cpu_before
            self._measure_memory()
            resilience = await self._kill_one(hub_client) if self.kill_one else None
        for kernel, _, _ in self.kernels.values():
            kernel.close()
        return self._summary(wall, cpu, resilience)

    def _cpu_seconds(self) -> float:
        total = 0.0
        for p in self.hub.processes():
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system
        return total

    def _measure_memory(self) -> None:
        for learner in self.learners:
            server = self.hub.server_of(learner.name)
            if server is None:
                continue
            learner.server_mb = _pss_mb(server)
            with contextlib.suppress(psutil.Error):
                learner.kernel_mb = sum(_pss_mb(k) for k in server.children(recursive=True))

    async def _learner(self, learner: Learner) -> None:
        try:
            await self._walk_through(learner)
        except Exception as exc:  # one learner's failure is recorded; the others go on
            learner.failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            self._arrive(learner)  # nobody waits for a learner who dropped out

    async def _walk_through(self, learner: Learner) -> None:
        hub, name = self.hub, learner.name
        async with httpx.AsyncClient(base_url=hub.url, timeout=httpx.Timeout(300)) as web:
            t = time.perf_counter()
            await web.get("/hub/login")
            xsrf = web.cookies.get("_xsrf", path="/hub/") or web.cookies.get("_xsrf") or ""
            r = await web.post("/hub/login", data={"username": name, "password": PASSWORD, "_xsrf": xsrf})
            if r.status_code != 302:
                raise RuntimeError(f"login answered {r.status_code}")
            xsrf = web.cookies.get("_xsrf", path="/hub/") or xsrf  # logging in binds a new one to the session
            r = await web.post(
                f"/hub/api/users/{name}/tokens",
                json={"note": "workshop driver", "expires_in": 7200},
                headers={"X-XSRFToken": xsrf},
            )
            r.raise_for_status()
            token = r.json()["token"]
            learner.phases_s["login"] = time.perf_counter() - t

            api = {"Authorization": f"token {token}"}
            t = time.perf_counter()
            r = await web.post(f"/hub/api/users/{name}/server", headers=api)
            if r.status_code not in (201, 202, 400):  # 400: already running
                raise RuntimeError(f"spawn answered {r.status_code}: {r.text[:200]}")
            deadline = time.monotonic() + 300
            while True:
                user = (await web.get(f"/hub/api/users/{name}", headers=api)).json()
                if user.get("servers", {}).get("", {}).get("ready"):
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError("the server did not become ready")
                await asyncio.sleep(0.5)
            learner.phases_s["spawn"] = time.perf_counter() - t

            t = time.perf_counter()
            base = f"/user/{name}"
            async with web.stream(
                "GET", f"{base}/git-pull/api?{urlencode(pull_params())}", headers=api, timeout=300
            ) as stream:
                phase = None
                async for line in stream.aiter_lines():
                    if line.startswith("data:"):
                        phase = json.loads(line[5:]).get("phase")
                        if phase == "error":
                            raise RuntimeError(f"nbgitpuller failed: {line[5:300]}")
                        if phase == "finished":
                            break
            if phase != "finished":
                raise RuntimeError("nbgitpuller did not finish")
            # the learners' link itself, with the hub's cookies, as the browser follows it
            r = await web.get(course_link(hub.url), follow_redirects=True)
            if r.status_code != 200 or "git-pull" not in str(r.url):
                raise RuntimeError(f"the course link ended at {r.url} with {r.status_code}")
            learner.phases_s["pull"] = time.perf_counter() - t

            t = time.perf_counter()
            r = await web.post(
                f"{base}/api/sessions",
                headers=api,
                json={
                    "path": f"{COURSE_DIR}/notebooks/{NOTEBOOKS[0]}",
                    "type": "notebook",
                    "name": NOTEBOOKS[0],
                    "kernel": {"name": "python3"},
                },
            )
            r.raise_for_status()
            kernel_id = r.json()["kernel"]["id"]
            ws_url = hub.url.replace("http://", "ws://") + f"{base}/api/kernels/{kernel_id}/channels"
            kernel = await Kernel.connect(ws_url, token)
            self.kernels[name] = (kernel, kernel_id, token)
            await kernel.execute("pass")  # the kernel answers
            learner.phases_s["kernel"] = time.perf_counter() - t

            for notebook in NOTEBOOKS:
                t = time.perf_counter()
                await self._run_notebook(kernel, notebook, learner)
                learner.notebook_s[notebook] = time.perf_counter() - t

            reply = await kernel.execute(
                "", user_expressions={"ids": "(lab.clients.model_id, lab.figure_html.model_id)"}
            )
            ids = reply.get("user_expressions", {}).get("ids", {})
            if ids.get("status") != "ok":
                raise RuntimeError("notebook 06 has no backoff lab called `lab`")
            slider_id, figure_id = ast.literal_eval(ids["data"]["text/plain"])
            self._arrive(learner)
            await asyncio.wait_for(self._all_arrived.wait(), timeout=900)
            for value in SLIDER_MOVES:
                learner.updates_ms.append(1000 * await kernel.move(slider_id, value, figure_id))

    async def _run_notebook(self, kernel: Kernel, notebook: str, learner: Learner) -> None:
        for i, code in enumerate(self.cells[notebook]):
            reply = await kernel.execute(code)
            if reply["error"]:
                learner.failures.append(f"{notebook} cell {i + 1}: {reply['error']}")
                return

    async def _kill_one(self, hub_client: httpx.AsyncClient) -> dict:
        """Kill the first learner's kernel: the others still answer; the first restarts it and runs 00 anew."""
        alive = [learner for learner in self.learners if learner.name in self.kernels]
        if not alive:
            return {"ok": False, "why": "no kernel to kill"}
        victim = alive[0]
        kernel, kernel_id, token = self.kernels[victim.name]
        server = self.hub.server_of(victim.name)
        kernel_procs = server.children(recursive=True) if server else []
        for p in kernel_procs:
            with contextlib.suppress(psutil.Error):
                p.kill()
        others_ok = True
        for learner in alive[1:]:
            reply = await self.kernels[learner.name][0].execute("lab.set(clients=12); lab.result.metrics")
            others_ok &= reply["error"] is None
        base = f"{self.hub.url}/user/{victim.name}"
        r = await hub_client.post(
            f"{base}/api/kernels/{kernel_id}/restart", headers={"Authorization": f"token {token}"}, timeout=120
        )
        kernel.close()
        fresh = await Kernel.connect(base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels", token)
        self.kernels[victim.name] = (fresh, kernel_id, token)
        rerun = Learner(victim.name)
        await self._run_notebook(fresh, NOTEBOOKS[0], rerun)
        fresh_world = await fresh.execute("lab")  # a restarted kernel holds nothing of before: NameError
        return {
            "killed": victim.name,
            "kernel_processes_killed": len(kernel_procs),
            "others_untouched": others_ok,
            "restart_status": r.status_code,
            "rerun_00_ok": not rerun.failures,
            "fresh_after_restart": bool(fresh_world["error"] and "NameError" in fresh_world["error"]),
        }

    def _summary(self, wall: float, cpu: float, resilience: dict | None) -> dict:
        updates = sorted(u for learner in self.learners for u in learner.updates_ms)
        p95 = updates[min(len(updates) - 1, int(0.95 * len(updates)))] if updates else float("nan")
        median = statistics.median(updates) if updates else float("nan")
        mb = [learner.server_mb + learner.kernel_mb for learner in self.learners if learner.ok]
        total_mb = sum(_pss_mb(p) for p in self.hub.processes())
        return {
            "learners": self.n,
            "all_ok": all(learner.ok for learner in self.learners),
            "widget_median_ms": median,  # what the learner waits after letting go of the slider
            "widget_p95_ms": p95,
            "widget_work_median_ms": median - 1000 * DEBOUNCE_S,  # the part the room's size can change
            "mb_per_learner": statistics.mean(mb) if mb else float("nan"),
            "kernel_mb": statistics.mean(learner.kernel_mb for learner in self.learners) if self.learners else 0,
            "room_mb": total_mb,
            "cores_busy": cpu / wall if wall else float("nan"),
            "wall_s": wall,
            "per_learner": [learner.as_dict() for learner in self.learners],
            "resilience": resilience,
        }


def run_room(learners: int, kill_one: bool = False) -> dict:
    """Start a hub, run one room of `learners`, stop the hub (whatever happened)."""
    hub = Hub()
    try:
        hub.start()
        result = asyncio.run(Room(hub, learners, kill_one).run())
        if not result["all_ok"]:
            result["hub_log_tail"] = hub.log_tail(1500)
        return result
    finally:
        hub.stop()


def responsive(result: dict) -> bool:
    """Every notebook ran, and the median update, less the lab's fixed debounce, is within the target."""
    return result["all_ok"] and result["widget_work_median_ms"] <= TARGET_MS


def find_capacity(max_learners: int, start: int = 1) -> tuple[int, dict | None, list[dict]]:
    """Double the room while it stays responsive, then bisect between the last good and the first bad size;
    never beyond `max_learners`. Returns the capacity, its room's result, and every room tried."""
    tried: dict[int, dict] = {}

    def attempt(n: int) -> bool:
        tried[n] = run_room(n)
        _print_room(tried[n])
        return responsive(tried[n])

    good, bad, n = 0, None, max(1, start)
    while n <= max_learners:
        if attempt(n):
            good = n
            n = min(n * 2, max_learners) if n < max_learners else max_learners + 1
        else:
            bad = n
            break
    while bad is not None and bad - good > 1:
        mid = (good + bad) // 2
        if attempt(mid):
            good = mid
        else:
            bad = mid
    return good, tried.get(good), [tried[k] for k in sorted(tried)]


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def _print_room(result: dict) -> None:
    print(
        f"room of {result['learners']}: {'all notebooks ran' if result['all_ok'] else 'FAILURES'}, "
        f"widget update median {result['widget_median_ms']:.0f} ms (after the {1000 * DEBOUNCE_S:.0f} ms debounce: "
        f"{result['widget_work_median_ms']:.0f} ms), p95 {result['widget_p95_ms']:.0f} ms, "
        f"{result['mb_per_learner']:.0f} MB per learner, room {result['room_mb']:.0f} MB, "
        f"{result['cores_busy']:.2f} cores busy over {result['wall_s']:.0f} s  [{machine()}]",
        flush=True,
    )
    for learner in result["per_learner"]:
        notebooks = " ".join(f"{k[:2]}={v:.1f}s" for k, v in learner["notebook_s"].items())
        phases = " ".join(f"{k}={v:.1f}s" for k, v in learner["phases_s"].items())
        updates = " ".join(f"{u:.0f}" for u in learner["widget_update_ms"])
        print(
            f"  {learner['name']}: server {learner['server_mb']:.0f} MB, kernel {learner['kernel_mb']:.0f} MB; "
            f"{phases}; notebooks {notebooks}; widget updates {updates} ms"
            + (f"; FAILED {learner['failures']}" if learner["failures"] else ""),
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workshop", description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=3, help="learners in the room (default 3)")
    parser.add_argument("--find-capacity", action="store_true", help="search for the largest responsive room")
    parser.add_argument("--max-learners", type=int, default=32, help="upper bound of the search (default 32)")
    parser.add_argument("--kill-one", action="store_true", help="kill one learner's kernel; check the others")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    # `kill` (SIGTERM) and Ctrl-C, even where a shell ignores it for background jobs, unwind through the `finally`
    # that stops the hub and everything under it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print(f"machine: {machine()}", flush=True)
    if args.find_capacity:
        capacity, at, tried = find_capacity(args.max_learners)
        cores = psutil.cpu_count() or 1
        if args.json:
            print(json.dumps({"capacity": capacity, "at_capacity": at, "tried": tried}, indent=1))
        report("workshop_capacity_learners", capacity, "learners", cores, f"{cores}_cores(learners_per_core)")
        if at:
            report("workshop_mb_per_learner", at["mb_per_learner"], "MB", at["kernel_mb"], "kernel_alone_MB")
            report("workshop_widget_p95_ms", at["widget_p95_ms"], "ms", TARGET_MS, f"target_{TARGET_MS:.0f}ms")
        print(f"machine after: {machine()}", flush=True)
        return 0
    result = run_room(args.learners, kill_one=args.kill_one)
    _print_room(result)
    if args.json:
        print(json.dumps(result, indent=1))
    if result.get("resilience"):
        print(f"resilience: {result['resilience']}", flush=True)
    return 0 if result["all_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
