"""`python -m helpers.simulator serve --port P --seed S`: the simulated API at http://127.0.0.1:P/v1."""

from __future__ import annotations

import argparse
import sys

from ..clock import RealClock
from .core import Simulator
from .server import make_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.simulator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the default world over HTTP until interrupted")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    serve.add_argument("--seed", type=int, default=0)
    serve.add_argument(
        "--overload-style",
        choices=("current", "legacy"),
        default="current",
        help="503 body of gpt-demo-busy: today's server_is_overloaded or the 2023 'overloaded' text",
    )
    serve.add_argument("--world", default=None, help="a world JSON file (default: data/world.json)")
    serve.add_argument("--log-file", default=None, help="write one JSON line per request to this file")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    try:
        simulator = Simulator(args.world, seed=args.seed, clock=RealClock(), overload_style=args.overload_style)
    except (OSError, ValueError) as exc:
        print(f"Cannot load the world {args.world or 'data/world.json'}: {exc}", file=sys.stderr)
        return 1
    try:
        log_file = open(args.log_file, "a", encoding="utf-8") if args.log_file else None  # noqa: SIM115
    except OSError as exc:
        print(f"Cannot open the log file {args.log_file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        server = make_server(simulator, host=args.host, port=args.port, log_file=log_file)
    except OSError as exc:
        print(f"Cannot listen on {args.host}:{args.port}: {exc.strerror or exc}. Try another --port.", file=sys.stderr)
        return 1
    print(f"Simulated OpenAI API at {server.base_url} (seed {args.seed}). Press Ctrl-C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        server.server_close()
        if log_file is not None:
            log_file.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
