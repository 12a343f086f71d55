#!/usr/bin/env python3
"""Fleet audit benchmark: ``modelw-lint audit`` over 13 generated repositories of real-world
sizes (the largest ~850k lines of Python, as in the agency's fleet), cold (no cache), as a
user runs it. The budget is 45 s on 2 cores.

    python benchmarks/fleet.py                 # generate (once, cached) and time, 3 runs
    python benchmarks/fleet.py --runs 1 --jobs 2 --json out.json

The repositories are benchmarks/run.py's synthetic Model W monorepo at 13 scales; they are
generated once under benchmarks/.cache/fleet/ (git repositories, so the audit reads git's view).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from run import generate, git_init  # noqa: E402

# Scales of benchmarks/run.py's generator (1.0 is ~400k lines of Python).
SCALES = (2.1, 1.0, 0.6, 0.5, 0.4, 0.3, 0.3, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05)
BUDGET = 45.0


def fleet(base: str) -> list[dict]:
    """The 13 repositories under ``base`` (generated when missing)."""
    out = []
    for n, scale in enumerate(SCALES):
        path = os.path.join(base, f"repo-{n:02d}")
        marker = os.path.join(path, ".bench.json")
        if not os.path.exists(marker):
            shutil.rmtree(path, ignore_errors=True)
            os.makedirs(path)
            info = generate(path, scale, seed=n)
            git_init(path)
            with open(marker, "w") as fh:
                json.dump(info, fh)
        with open(marker) as fh:
            out.append({"path": path, "scale": scale, **json.load(fh)})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", help="write the measures to this file")
    parser.add_argument("--cache", default=os.path.join(HERE, ".cache", "fleet"), help="where the repositories are generated")
    args = parser.parse_args()
    repos = fleet(args.cache)
    lines = sum(r["python_lines"] for r in repos)
    print(f"fleet of {len(repos)} repositories, {lines:,} Python lines (largest {max(r['python_lines'] for r in repos):,}), "
          f"--jobs {args.jobs}, {args.runs} runs", flush=True)
    exe = shutil.which("modelw-lint") or "modelw-lint"
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.runs):
            started = time.perf_counter()
            proc = subprocess.run(
                [exe, "audit", *(r["path"] for r in repos), "--no-cache", "--no-progress", "-j", str(args.jobs),
                 "-o", os.path.join(out, "fleet.html")],
                capture_output=True, text=True,
            )
            times.append(time.perf_counter() - started)
            if proc.returncode != 0:
                print(proc.stdout + proc.stderr, file=sys.stderr)
                return 2
    median = statistics.median(times)
    verdict = "within" if median <= BUDGET else "OVER"
    print(f"cold fleet audit: median {median:.1f} s (min {min(times):.1f}, max {max(times):.1f}); "
          f"{verdict} the {BUDGET:.0f} s budget")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"repositories": repos, "jobs": args.jobs, "times": times, "median": median, "budget": BUDGET}, fh, indent=2)
    return 0 if median <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
