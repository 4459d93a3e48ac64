"""Run an experiment from the command line.

    python -m helpers.experiments contention --clients N --runs R --seed S [--json] [--allow-large]

`contention` is Brooker's contended-row experiment (see helpers/experiments/occ.py): per backoff strategy,
the mean number of writes the server received and the mean completion time in ms. With --json it prints one
JSON object (contract 4); otherwise a small table.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from .occ import BASE_MS, CAP_MS, contention_strategies, run_contention

PROG = "python -m helpers.experiments"


class UsageError(Exception):
    """Bad command-line input: reported on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake gives one friendly line instead of a usage dump."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        raise UsageError(f"{message} (see {self.prog} --help)")


def _add_contention(sub) -> None:
    p = sub.add_parser(
        "contention",
        help="Brooker's contended-row experiment: writes and completion time per backoff strategy",
        description="Many clients race to update one row under optimistic concurrency; each backoff strategy "
        "is run the same number of times and the means are printed.",
    )
    p.add_argument("--clients", type=int, default=100, help="clients racing for the row (default 100)")
    p.add_argument("--runs", type=int, default=100, help="independent runs per strategy (default 100)")
    p.add_argument("--seed", type=int, default=0, help="seed; the same seed gives the same numbers (default 0)")
    p.add_argument("--base-ms", type=float, default=BASE_MS, help=f"backoff base in ms (default {BASE_MS:g})")
    p.add_argument("--cap-ms", type=float, default=CAP_MS, help=f"backoff cap in ms (default {CAP_MS:g})")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--allow-large", action="store_true", help="run even if the experiment would take minutes")
    p.set_defaults(handler=_contention)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Experiments in virtual time from the OpenAI API errors tutorial.")
    sub = parser.add_subparsers(dest="command", metavar="EXPERIMENT", parser_class=_Parser)
    sub.required = True
    _add_contention(sub)
    return parser


def _as_flags(message: str) -> str:
    """Speak in command-line flags: 'clients must ...' becomes '--clients must ...'."""
    for name in ("clients", "runs", "seed", "base_ms", "cap_ms"):
        flag = "--" + name.replace("_", "-")
        if re.match(rf"{name}\b", message):
            message = flag + message[len(name) :]
        message = message.replace(f"{name} (", f"{flag} (")  # 'base_ms (9) must not be above cap_ms (5)'
    return message.replace("allow_large=True (command line: --allow-large)", "--allow-large")


def _contention(args) -> int:
    try:
        results = run_contention(
            args.clients,
            args.runs,
            seed=args.seed,
            strategies=contention_strategies(),
            base_ms=args.base_ms,
            cap_ms=args.cap_ms,
            allow_large=args.allow_large,
        )
    except ValueError as exc:
        raise UsageError(_as_flags(str(exc))) from None
    if args.json:
        print(
            json.dumps(
                {
                    "experiment": "contention",
                    "clients": args.clients,
                    "runs": args.runs,
                    "seed": args.seed,
                    "base_ms": args.base_ms,
                    "cap_ms": args.cap_ms,
                    "results": [r.summary() for r in results],
                }
            )
        )
        return 0
    print(
        f"Contended row (OCC): {args.clients} clients, {args.runs} runs, seed {args.seed}, "
        f"backoff base {args.base_ms:g} ms, cap {args.cap_ms:g} ms"
    )
    print(f"{'strategy':<20} {'mean writes':>12} {'mean completion (ms)':>21}")
    for r in results:
        print(f"{r.strategy:<20} {r.mean_writes:>12.1f} {r.mean_completion_ms:>21.1f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return args.handler(args)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
