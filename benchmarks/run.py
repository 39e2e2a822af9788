"""Time lgcb as a user runs it: whole processes, on the shipped plan and on synthetic plans.

For each command and plan: the median wall time and CPU time (user + system) of several runs
after one warm-up, and the peak resident memory, read per run from ``os.wait4``.  Side by side,
the reference points: ``python -c "import click"``, the floor of this design (a
script that imports yaml and pydantic and validates one trivial model), and check-jsonschema
validating the same files against the plan's JSON Schemas.  Then ratios against the targets and a
Markdown table for the documentation.  A command that this lgcb does not have (``lgcb CMD
--help`` fails) is reported as "n/a".

    .venv/bin/python benchmarks/run.py            # 5 runs each (3 at 1,000 objectives)
    .venv/bin/python benchmarks/run.py --quick    # 2 runs each, for a quick look
    .venv/bin/python benchmarks/run.py --markdown docs/performance-table.md

Run it with the venv's Python: the ``lgcb`` and ``check-jsonschema`` executables next to it are
the ones timed.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHIPPED = HERE.parent / "plan"
SIZES = (8, 100, 1000)
BIN = Path(sys.executable).parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Commands run as after a normal install: with compiled bytecode (pip compiles installed packages;
an editable install writes it on first use), not recompiling lgcb's modules on every run."""
TIME = Path("/usr/bin/time")
"""GNU time reports the peak RSS of exactly the command.  Without it ``os.wait4`` is used, whose
figure also counts the memory of this (deliberately small: no lgcb import) script before exec."""
LGCB = str(BIN / "lgcb")
FLOOR = (
    "import yaml, pydantic\n"
    "class Trivial(pydantic.BaseModel):\n"
    "    name: str\n"
    "Trivial.model_validate(yaml.safe_load('name: x'))\n"
)
"""The floor of this design: what any yaml + pydantic tool pays before reading a plan."""

TARGETS = {
    "help_vs_click": 1.3,
    "validate_vs_jsonschema": 0.3,
    "validate_vs_floor": 1.3,
    "validate_1000_s": 3.0,
    "render_html_1000_s": 6.0,
    "render_pdf_shipped_s": 1.0,
    "render_pdf_1000_s": 30.0,
    "rss_pdf_1000_mb": 500.0,
    "rss_1000_mb": 300.0,
    "growth_10x": 12.0,
    "xlsx_1000_s": 3.0,
    "xlsx_rss_1000_mb": 250.0,
}

YEAR = "2015"
"""The year of the monitoring forms timed (inside the timeframe of the shipped and synthetic plans)."""

FILL = (
    "import sys, openpyxl\n"
    "book = openpyxl.load_workbook(sys.argv[1])\n"
    "for row in book['Form'].iter_rows(min_row=2):\n"
    "    measure = row[3].value\n"
    "    row[8].value = 'described' if measure == 'qualitative' else 50 if measure else 7\n"
    "    row[9].value = 'survey'\n"
    "book.save(sys.argv[2])\n"
)
"""Fill every Value and Source of a form, as a person returning it would (openpyxl, outside lgcb)."""


@dataclass
class Sample:
    """The runs of one command: wall and CPU seconds per run, peak RSS (MiB), last exit code."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    code: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.wall) and not self.error

    @property
    def seconds(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak_mb(self) -> float:
        return max(self.rss)


def run_once(commands: list[list[str]], cwd: Path) -> tuple[float, float, float, int, str]:
    """Run commands one after another; total wall and CPU seconds, peak RSS, last exit code, stderr."""
    wall = cpu = peak = 0.0
    code = 0
    stderr = ""
    for argv in commands:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "time"
            timed = [str(TIME), "-f", "%U %S %M", "-o", str(report), *argv] if TIME.is_file() else argv
            start = time.perf_counter()
            process = subprocess.Popen(timed, stdout=out, stderr=err, cwd=cwd, env=ENV)
            _, status, usage = os.wait4(process.pid, 0)
            wall += time.perf_counter() - start
            process.returncode = code = os.waitstatus_to_exitcode(status)
            if TIME.is_file():
                user, system, kib = report.read_text(encoding="utf-8").split()[-3:]
                cpu += float(user) + float(system)
                peak = max(peak, int(kib) / 1024)
            else:
                cpu += usage.ru_utime + usage.ru_stime
                peak = max(peak, usage.ru_maxrss / 1024)  # KiB on Linux
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
    return wall, cpu, peak, code, stderr


def measure(commands: list[list[str]], runs: int, cwd: Path, expect: tuple[int, ...] = (0,)) -> Sample:
    """One warm-up run (page cache, bytecode), then ``runs`` timed runs."""
    sample = Sample()
    *_, code, stderr = run_once(commands, cwd)
    if code not in expect:
        sample.code, sample.error = code, stderr.strip().splitlines()[-1:] or [f"exit {code}"]
        sample.error = f"exit {code}: {sample.error[0]}"
        return sample
    for _ in range(runs):
        wall, cpu, peak, code, _ = run_once(commands, cwd)
        sample.wall.append(wall)
        sample.cpu.append(cpu)
        sample.rss.append(peak)
        sample.code = code
    return sample


def interleaved(named: dict[str, list[list[str]]], runs: int, cwd: Path) -> dict[str, Sample]:
    """Measure commands in turns (A, B, C, A, B, C …): a ratio between them stays fair even when
    the machine's load drifts during the run."""
    samples = {name: measure(commands, 0, cwd, expect=(0, 1)) for name, commands in named.items()}
    for _ in range(runs):
        for name, commands in named.items():
            if samples[name].error:
                continue
            wall, cpu, peak, code, _ = run_once(commands, cwd)
            samples[name].wall.append(wall)
            samples[name].cpu.append(cpu)
            samples[name].rss.append(peak)
            samples[name].code = code
    return samples


@functools.cache
def available(command: str, *sub: str) -> bool:
    """Whether this lgcb has ``command`` (other branches add commands; the lead runs this after merging)."""
    done = subprocess.run([LGCB, command, *sub, "--help"], capture_output=True, check=False)
    return done.returncode == 0


def filled_form(plan: Path, out: Path) -> Path | None:
    """A monitoring form of ``plan`` with every value filled in, for timing ``lgcb progress record``."""
    if not available("progress", "form"):
        return None
    form, filled = out / f"{plan.name}-form.xlsx", out / f"{plan.name}-form-filled.xlsx"
    made = [LGCB, "--plan", str(plan), "progress", "form", "--year", YEAR, "-o", str(form), "--force"]
    subprocess.run(made, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", FILL, str(form), str(filled)], check=True)
    return filled


def commands_for(plan: Path, out: Path) -> dict[str, list[str] | None]:
    """The timed commands on one plan; ``None`` for a command this lgcb does not have."""
    base = [LGCB, "--plan", str(plan)]
    table: dict[str, list[str] | None] = {
        "validate": [*base, "validate"],
        "show objective 1": [*base, "show", "objective", "1"],
        "coverage": [*base, "coverage"],
    }
    for fmt in ("md", "html", "docx", "pdf"):
        table[f"render {fmt}"] = [*base, "render", "--format", fmt, "-o", str(out / f"{plan.name}.{fmt}")]
    # The review loop: a revision as Word tracked changes, and that document read back onto the plan
    # (--dry-run: everything but the writing, so every run has the same work to do).
    edited = edited_copy(plan, out)
    changes = out / f"{plan.name}-changes.docx"
    table["diff --format docx"] = [*base, "diff", str(plan), str(edited), "--format", "docx", "-o", str(changes)]
    table["import --onto"] = [*base, "import", str(changes), "--onto", str(plan), "--dry-run"]
    found = {name: argv if available(argv[3]) else None for name, argv in table.items()}
    if available("export") and available("progress", "form"):
        found["export xlsx"] = [*base, "export", "--format", "xlsx", "-o", str(out / f"{plan.name}.xlsx")]
        form = [*base, "progress", "form", "--year", YEAR, "-o", str(out / f"{plan.name}-new-form.xlsx"), "--force"]
        found["progress form"] = form
        filled = filled_form(plan, out)
        found["progress record"] = [*base, "progress", "record", str(filled), "--dry-run"] if filled else None
    return found


def edited_copy(plan: Path, out: Path) -> Path:
    """A copy of ``plan`` with a word added to the first entry of its first objective."""
    target = out / f"{plan.name}-edited"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(plan, target)
    first = sorted((target / "objectives").glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    at = text.index("text: ") + len("text: ")
    at += text[at] in "'\""  # inside the quotes of a quoted text
    first.write_text(text[:at] + "Revised " + text[at:], encoding="utf-8")
    return target


def schemas(directory: Path) -> tuple[Path, Path, str]:
    """``plan.schema.json`` and ``objective.schema.json``, from ``lgcb schema`` if it exists."""
    directory.mkdir(parents=True, exist_ok=True)
    if available("schema"):
        subprocess.run([LGCB, "schema", "-o", str(directory)], check=True, capture_output=True)
        origin = "lgcb schema"
    else:
        script = (
            "import json, sys\n"
            "from pathlib import Path\n"
            "from lgcb.model import Objective, PlanInfo\n"
            "for name, model in (('plan', PlanInfo), ('objective', Objective)):\n"
            "    text = json.dumps(model.model_json_schema(), indent=2)\n"
            "    Path(sys.argv[1], f'{name}.schema.json').write_text(text, encoding='utf-8')\n"
        )
        subprocess.run([sys.executable, "-c", script, str(directory)], check=True)
        origin = "model_json_schema()"
    return directory / "plan.schema.json", directory / "objective.schema.json", origin


def jsonschema_commands(plan: Path, plan_schema: Path, objective_schema: Path) -> list[list[str]]:
    tool = str(BIN / "check-jsonschema")
    files = sorted(str(p) for p in (plan / "objectives").glob("*.yaml"))
    return [
        [tool, "--schemafile", str(plan_schema), str(plan / "plan.yaml")],
        [tool, "--schemafile", str(objective_schema), *files],
    ]


def synthetic(size: int, work: Path) -> Path:
    """A synthetic plan, generated once and reused while the generator and seed are unchanged."""
    directory = work / f"plan-{size}"
    marker = directory / ".generated"
    stamp = f"{size} {(HERE / 'generate.py').stat().st_mtime_ns}"
    if not (marker.is_file() and marker.read_text(encoding="utf-8") == stamp):
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(directory)], check=True)
        marker.write_text(stamp, encoding="utf-8")
    return directory


def census(plan: Path) -> tuple[int, int]:
    """(objectives, entries) of a plan, counted by the generator's ``--count`` in its own process."""
    done = subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--count", str(plan)], check=True, capture_output=True, text=True
    )
    data = json.loads(done.stdout)
    return data["objectives"], data["entries"]


def hostile(work: Path) -> dict[str, Path]:
    """Copies of the shipped plan with one hostile file each: how fast is it rejected?"""
    cases = {
        "alias bomb": "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
        + "".join(f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
        "deep nesting (10,000 levels)": "number: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "huge file (5 MiB)": "number: 1\ntitle: " + "x" * (5 * 1024 * 1024) + "\n",
        "bad UTF-8": None,
    }
    plans = {}
    for i, (name, text) in enumerate(cases.items()):
        directory = work / f"hostile-{i}"
        if directory.exists():
            shutil.rmtree(directory)
        shutil.copytree(SHIPPED, directory)
        target = directory / "objectives" / "09-hostile.yaml"
        if text is None:
            target.write_bytes(b"number: 9\ntitle: Caf\xe9\n")
        else:
            target.write_text(text, encoding="utf-8")
        plans[name] = directory
    return plans


def fmt_sample(sample: Sample | None) -> str:
    if sample is None:
        return "n/a"
    if not sample.ok:
        return f"failed ({sample.error[:60]})"
    return f"{sample.seconds:.2f} s · {sample.peak_mb:.0f} MB"


def ratio(a: Sample | None, b: Sample | None) -> float | None:
    if a is None or b is None or not a.ok or not b.ok:
        return None
    return a.seconds / b.seconds


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "n/a"
    return "meets" if value <= limit else "MISSES"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 runs per command (default: 5, and 3 at N=1000)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="synthetic sizes, default 8,100,1000")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "lgcb-bench", help="work dir")
    parser.add_argument("--markdown", type=Path, help="also write the Markdown tables to this file")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    runs = 2 if args.quick else 5
    work: Path = args.work
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    plans: dict[str, Path] = {"shipped": SHIPPED}
    for size in sizes:
        log(f"generating N={size} …")
        plans[f"N={size}"] = synthetic(size, work)
    entries = {}
    for label, path in plans.items():
        entries[label] = census(path)

    plan_schema, objective_schema, schema_origin = schemas(work / "schemas")
    results: dict[str, dict[str, Sample | None]] = {}
    for label, path in plans.items():
        n = runs if not label.startswith("N=") or int(label[2:]) < 1000 else min(runs, 3)
        row = results.setdefault(label, {})
        for name, command in commands_for(path, out).items():
            log(f"{label}: {name} …")
            row[name] = measure([command], n, work) if command else None
        log(f"{label}: check-jsonschema …")
        slow = label.startswith("N=") and int(label[2:]) >= 1000  # ~40 s a run
        row["check-jsonschema"] = measure(
            jsonschema_commands(path, plan_schema, objective_schema), 1 if slow else n, work, expect=(0, 1)
        )

    log("reference points, in turns …")
    reference = interleaved(
        {
            "click": [[sys.executable, "-c", "import click"]],
            "floor": [[sys.executable, "-c", FLOOR]],
            "help": [[LGCB, "--help"]],
            "validate": [[LGCB, "--plan", str(SHIPPED), "validate"]],
            "check-jsonschema": jsonschema_commands(SHIPPED, plan_schema, objective_schema),
        },
        runs * 2,
        work,
    )
    click, floor, help_ = reference["click"], reference["floor"], reference["help"]
    hostile_results = {
        name: measure([[LGCB, "--plan", str(p), "validate"]], runs, work, expect=(1,))
        for name, p in hostile(work).items()
    }

    shipped = results["shipped"]
    big = results.get("N=1000", {})
    checks = [
        ('`lgcb --help` ÷ `python -c "import click"`', ratio(help_, click), TARGETS["help_vs_click"], "×"),
        (
            "`lgcb validate` ÷ check-jsonschema (shipped plan)",
            ratio(reference["validate"], reference["check-jsonschema"]),
            TARGETS["validate_vs_jsonschema"],
            "×",
        ),
        (
            "`lgcb validate` ÷ yaml+pydantic floor (shipped)",
            ratio(reference["validate"], floor),
            TARGETS["validate_vs_floor"],
            "×",
        ),
    ]
    shipped_pdf = shipped.get("render pdf")
    checks.append(
        (
            "`lgcb render --format pdf`, shipped plan",
            shipped_pdf.seconds if shipped_pdf and shipped_pdf.ok else None,
            TARGETS["render_pdf_shipped_s"],
            " s",
        )
    )
    if big:
        v, h, pdf = big.get("validate"), big.get("render html"), big.get("render pdf")
        checks += [
            ("`lgcb validate`, 1,000 objectives", v.seconds if v and v.ok else None, TARGETS["validate_1000_s"], " s"),
            (
                "`lgcb render --format html`, 1,000 objectives",
                h.seconds if h and h.ok else None,
                TARGETS["render_html_1000_s"],
                " s",
            ),
            (
                "peak RSS of any command, 1,000 objectives",
                max(
                    (
                        s.peak_mb
                        for s in big.values()
                        if s and s.ok and s is not big.get("check-jsonschema") and s is not pdf
                    ),
                    default=None,
                ),
                TARGETS["rss_1000_mb"],
                " MB",
            ),
            (
                "`lgcb render --format pdf`, 1,000 objectives",
                pdf.seconds if pdf and pdf.ok else None,
                TARGETS["render_pdf_1000_s"],
                " s",
            ),
            (
                "peak RSS of `render --format pdf`, 1,000 objectives",
                pdf.peak_mb if pdf and pdf.ok else None,
                TARGETS["rss_pdf_1000_mb"],
                " MB",
            ),
        ]
    if big:
        excel = [big.get(name) for name in ("export xlsx", "progress form", "progress record")]
        timed = [s for s in excel if s and s.ok]
        checks += [
            (
                "slowest of xlsx export, progress form, progress record (1,000 objectives)",
                max((s.seconds for s in timed), default=None) if len(timed) == len(excel) else None,
                TARGETS["xlsx_1000_s"],
                " s",
            ),
            (
                "peak RSS of those, 1,000 objectives",
                max((s.peak_mb for s in timed), default=None) if len(timed) == len(excel) else None,
                TARGETS["xlsx_rss_1000_mb"],
                " MB",
            ),
        ]
    growth = {}
    if "N=100" in results and big:
        for name, s in big.items():
            growth[name] = ratio(s, results["N=100"].get(name))
        worst = max((g for k, g in growth.items() if g is not None and k != "check-jsonschema"), default=None)
        checks.append(("worst growth N=100 → N=1000 (10× the entries)", worst, TARGETS["growth_10x"], "×"))

    labels = list(plans)
    names = list(shipped)
    lines = [
        f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}, "
        f"{runs} runs per command after a warm-up ({min(runs, 3)} at N=1000; check-jsonschema 1 there), "
        f"median wall time · peak RSS; reference points {runs * 2} runs in turns. Schemas from {schema_origin}.",
        "",
        "| command | "
        + " | ".join(f"{label} ({entries[label][1]:,} entries)" for label in labels)
        + " | growth 100→1000 |",
        "|---|" + "---:|" * len(labels) + "---:|",
    ]
    for name in names:
        g = growth.get(name)
        cells = [fmt_sample(results[label].get(name)) for label in labels]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {f'{g:.1f}×' if g else 'n/a'} |")
    lines += [
        "",
        "| reference point | time · peak RSS |",
        "|---|---:|",
        f'| `python -c "import click"` | {fmt_sample(click)} |',
        f"| yaml + pydantic floor (import both, validate one trivial model) | {fmt_sample(floor)} |",
        f"| `lgcb --help` | {fmt_sample(help_)} |",
        f"| `lgcb validate`, shipped plan (measured in the same turns) | {fmt_sample(reference['validate'])} |",
        f"| check-jsonschema, shipped plan (same turns) | {fmt_sample(reference['check-jsonschema'])} |",
        "",
        "| hostile file, rejected by `lgcb validate` (exit 1) | time · peak RSS |",
        "|---|---:|",
        *(f"| {name} | {fmt_sample(s)} |" for name, s in hostile_results.items()),
        "",
        "| target | measured | limit | |",
        "|---|---:|---:|---|",
    ]
    for label, value, limit, unit in checks:
        shown = "n/a" if value is None else f"{value:.2f}{unit}"
        lines.append(f"| {label} | {shown} | {limit:g}{unit} | {verdict(value, limit)} |")
    cpu_line = "CPU seconds (user+system, median): " + "; ".join(
        f"{label} validate {results[label]['validate'].cpu_seconds:.2f}"
        for label in labels
        if results[label].get("validate") and results[label]["validate"].ok
    )
    lines += ["", cpu_line]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
