"""Many threads against the real server: every request answered once, counters consistent, limits kept."""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter

from helpers.clock import RealClock
from helpers.simulator import Simulator
from helpers.simulator.server import running_server

THREADS, PER_THREAD = 8, 200


def _worker(port: int, index: int, results: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(PER_THREAD):
        body = json.dumps(
            {
                "model": "gpt-4o-mini",
                "max_tokens": 10,
                "messages": [{"role": "user", "content": f"thread {index} request {i}"}],
            }
        )
        conn.request(
            "POST",
            "/v1/chat/completions",
            body=body,
            headers={"Authorization": "Bearer sk-demo-ok", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        response.read()
        results.append((response.status, response.getheader("x-request-id")))
    conn.close()


def test_eight_threads_two_hundred_requests_each():
    sim = Simulator(seed=0, clock=RealClock())
    with running_server(sim) as server:
        port = server.server_address[1]
        results: list = []
        threads = [threading.Thread(target=_worker, args=(port, n, results)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)

    total = THREADS * PER_THREAD
    assert len(results) == total
    ids = [rid for _, rid in results]
    assert len(set(ids)) == total, "every request got its own answer"
    assert sorted(ids) == sorted(e.request_id for e in sim.log), "the log holds exactly the requests answered"
    statuses = Counter(status for status, _ in results)
    assert set(statuses) <= {200, 429}
    assert statuses == Counter(e.status for e in sim.log)

    # never more admitted than the RPM bucket allows: capacity plus refill over any stretch of time
    admitted = sorted(e.time for e in sim.log if e.status == 200)
    limit = sim.world.limits("org-demo", "gpt-4o-mini").rpm
    assert statuses[200] >= limit  # the full allowance was usable
    for i, start in enumerate(admitted):
        for j in range(i, len(admitted), 50):
            assert j - i + 1 <= limit + (admitted[j] - start) * limit / 60.0 + 1e-6
