"""Time ``lgcb validate`` on hostile files under the size cap: every problem located in linear time.

Builds, next to a copy of the shipped plan, files of the kinds a careless or hostile edit makes —
20,000 unknown keys in one objective file (0.4 MB), 20,000 unknown indicator IDs in a progress file,
a file of 1 MiB (the cap) of repeated entries — and times ``lgcb validate`` on each (median of 3 whole runs,
peak memory).  Target: every one under 2 s on a 2-core machine.

    .venv/bin/python benchmarks/hostile.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LGCB = [sys.executable, "-m", "lgcb"]
O3 = "objectives/03-handling-transport-packaging-identification.yaml"
TARGET_SECONDS = 2.0


def unknown_keys(plan: Path) -> None:
    path = plan / O3
    path.write_text(path.read_text(encoding="utf-8") + "".join(f"unknown_{i}: x\n" for i in range(20_000)), "utf-8")


def unknown_indicators(plan: Path) -> None:
    (plan / "progress").mkdir(exist_ok=True)
    entries = "".join(f"9.I{i}:\n  - period: 2015\n    value: 1\n" for i in range(20_000))
    (plan / "progress" / "2015.yaml").write_text(entries, encoding="utf-8")


def big_file(plan: Path) -> None:
    path = plan / O3
    text = path.read_text(encoding="utf-8")
    entry = "  - id: 3.A{}\n    text: an activity written many times over\n"
    extra, i = [], 100
    size = len(text)
    while size < 1024 * 1024 - 200:
        item = entry.format(i)
        extra.append(item)
        size += len(item)
        i += 1
    path.write_text(text + "".join(extra), encoding="utf-8")


CASES = {
    "20,000 unknown keys in one file": unknown_keys,
    "20,000 unknown indicator IDs in a progress file": unknown_indicators,
    "1 MiB objective file (the cap), 22,000 entries": big_file,
}


def run(plan: Path) -> tuple[float, int]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*LGCB, "--plan", str(plan), "validate"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| hostile input | lgcb validate | peak RSS | target |")
    print("| --- | --- | --- | --- |")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in CASES.items():
            plan = Path(tmp) / name.replace(" ", "-").replace(",", "")
            shutil.copytree(ROOT / "plan", plan)
            make(plan)
            samples = [run(plan) for _ in range(args.runs)]
            seconds = statistics.median(s for s, _ in samples)
            memory = max(m for _, m in samples)
            worst = max(worst, seconds)
            verdict = "meets" if seconds < TARGET_SECONDS else "MISSES"
            print(f"| {name} | {seconds:.2f} s | {memory / 1e6:.0f} MB | < {TARGET_SECONDS:g} s: {verdict} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
