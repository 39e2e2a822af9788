"""Time lgcb as a user runs it: whole processes, on the shipped plan and on synthetic plans.

For each command and plan: the median wall time and CPU time (user + system) of several runs
after one warm-up, and the peak resident memory, read per run.  All plans' commands are run in
turns (each command on every plan, then each again), so that a slow minute of the machine falls on
all commands and sizes alike.
Side by side, the reference points: ``python -c "import click"``, the floor of this design (a
script that imports yaml and pydantic and validates one trivial model), and check-jsonschema
validating the same files against the plan's JSON Schemas.  Then every target, with whether it
is met, and a Markdown table for the documentation.  A command that this lgcb does not have
(``lgcb CMD --help`` fails) is "n/a".

    .venv/bin/python benchmarks/run.py            # 5 runs each (3 at 1,000 objectives, 1 at 3,000)
    .venv/bin/python benchmarks/run.py --quick    # 2 runs each, for a quick look
    .venv/bin/python benchmarks/run.py --markdown docs/performance-table.md
    .venv/bin/python benchmarks/run.py --compare /path/to/old/venv/bin   # the shipped plan, old vs new
    .venv/bin/python benchmarks/run.py --smoke    # every command once on a small plan (CI)

Run it with the venv's Python: the ``lgcb`` and ``check-jsonschema`` executables next to it are
the ones timed.  ``--smoke`` checks that the script and every timed command still work; it fails
when a command fails, never on a timing.
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
from typing import Any

HERE = Path(__file__).resolve().parent
SHIPPED = HERE.parent / "plan"
SIZES = (8, 100, 1000, 3000)
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

LIMIT_S, LIMIT_MB = 3.0, 250.0
"""Every command at 1,000 objectives (about 50,000 entries): median wall time and peak memory."""
PDF_LIMIT_S, PDF_LIMIT_MB = 30.0, 500.0
"""The PDF, at 1,000 objectives: Typst lays out every page before writing one."""
LINEAR = 3.2
"""At 3,000 objectives, no more than this many times the 1,000-objective figures (time and memory)."""
HELP_VS_CLICK = 1.3
VALIDATE_VS_FLOOR = 1.15
REFERENCE_RUNS = 10
"""Runs of the reference points per run of a command: their targets are ratios of processes of
about 0.15 s that must be within 5–15 % of each other, which 4 runs cannot tell from a noisy
minute (1.15× measured in 4, 1.10× in 40 on the same machine and code)."""
SHIPPED_NOT_SLOWER = 1.05
"""With --compare: the shipped plan's commands within this ratio of the other lgcb (noise allowed)."""

YEAR = "2020"
"""The year of the monitoring forms timed: the last of the timeframe, the round the synthetic plans
have no values for yet (and the shipped plan has none at all)."""

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


def interleaved(
    named: dict[Any, list[list[str]]],
    runs: int,
    cwd: Path,
    expect: tuple[int, ...] = (0, 1),
    counts: dict[Any, int] | None = None,
) -> dict[Any, Sample]:
    """Measure commands in turns (A, B, C, A, B, C …) after a warm-up of each: a ratio between them
    stays fair even when the machine's speed drifts during the run, and each command's runs are
    spread over the whole round, not all taken in one slow minute.  ``counts`` gives some commands
    fewer runs than ``runs`` (they sit out the last rounds)."""
    samples = {name: measure(commands, 0, cwd, expect=expect) for name, commands in named.items()}
    for round_ in range(runs):
        for name, commands in named.items():
            if samples[name].error or round_ >= (counts or {}).get(name, runs):
                continue
            wall, cpu, peak, code, _ = run_once(commands, cwd)
            samples[name].wall.append(wall)
            samples[name].cpu.append(cpu)
            samples[name].rss.append(peak)
            samples[name].code = code
    return samples


@functools.cache
def available(command: str, *sub: str) -> bool:
    """Whether this lgcb has ``command``: the script also runs in an older lgcb's venv, to time it before a change."""
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


EDIT_CELL = (
    "import sys, openpyxl\n"
    "book = openpyxl.load_workbook(sys.argv[1])\n"
    "sheet = book['Entries']\n"
    "header = [c.value for c in sheet[1]]\n"
    "cell = sheet.cell(row=2, column=header.index('Text') + 1)\n"
    "cell.value = 'Revised ' + cell.value\n"
    "book.save(sys.argv[2])\n"
)
"""Edit the first entry's text in an exported workbook, as a person would (openpyxl, outside lgcb)."""


def edited_workbook(plan: Path, out: Path) -> Path | None:
    """An export of ``plan`` with one text edited, for timing ``lgcb import FILE.xlsx --onto``."""
    if not available("export"):
        return None
    exported, edited = out / f"{plan.name}-export.xlsx", out / f"{plan.name}-edited.xlsx"
    subprocess.run([LGCB, "--plan", str(plan), "export", "-o", str(exported)], check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-c", EDIT_CELL, str(exported), str(edited)], capture_output=True)
    return edited if done.returncode == 0 else None


def commands_for(plan: Path, out: Path, pdf: bool = True) -> dict[str, list[str] | None]:
    """The timed commands on one plan; ``None`` for a command this lgcb does not have."""
    base = [LGCB, "--plan", str(plan)]
    edited = edited_copy(plan, out)
    changes = out / f"{plan.name}-changes.docx"
    table: dict[str, list[str]] = {
        "validate": [*base, "validate"],
        "list": [*base, "list"],
        "show objective 1": [*base, "show", "objective", "1"],
        "search": [*base, "search", "risk assessment"],
        "coverage": [*base, "coverage"],
        "progress": [*base, "progress"],
        "diff (two versions)": [*base, "diff", str(plan), str(edited)],
        "export csv": [*base, "export", "--format", "csv", "-o", str(out / f"{plan.name}.csv")],
        "export json": [*base, "export", "--format", "json", "-o", str(out / f"{plan.name}.json")],
        "export xlsx": [*base, "export", "--format", "xlsx", "-o", str(out / f"{plan.name}.xlsx")],
    }
    # Each report's other formats: the same work as its text, written another way.
    table["validate --format json"] = [*base, "validate", "--format", "json"]
    table["validate --format github"] = [*base, "validate", "--format", "github"]
    table["list --format json"] = [*base, "list", "--format", "json"]
    for fmt in ("json", "yaml"):
        table[f"show objective 1 --format {fmt}"] = [*base, "show", "objective", "1", "--format", fmt]
    table["search --format json"] = [*base, "search", "risk assessment", "--format", "json"]
    for report in ("coverage", "progress"):
        for fmt in ("json", "md"):
            table[f"{report} --format {fmt}"] = [*base, report, "--format", fmt]
    for fmt in ("md", "json"):
        table[f"diff --format {fmt}"] = [*base, "diff", str(plan), str(edited), "--format", fmt]
    for fmt in ("md", "html", "docx", "pdf"):
        table[f"render {fmt}"] = [*base, "render", "--format", fmt, "-o", str(out / f"{plan.name}.{fmt}")]
    table["render pdf"] += ["--timeout", "600"]  # timed to its end: the default stops runaway templates at 60 s
    # The review loop: a revision as Word tracked changes, and that document read back onto the plan
    # (--dry-run: everything but the writing, so every run has the same work to do).
    table["diff --format docx"] = [*base, "diff", str(plan), str(edited), "--format", "docx", "-o", str(changes)]
    table["import docx --onto"] = [*base, "import", str(changes), "--onto", str(plan), "--dry-run"]
    # A plan read afresh from the Word report rendered above, written as a new plan directory.
    imported = out / f"{plan.name}-imported"
    table["import docx"] = [*base, "import", str(out / f"{plan.name}.docx"), "-o", str(imported), "--force"]
    table["fmt --check"] = [*base, "fmt", "--check"]
    table["progress form"] = [*base, "progress", "form", "--year", YEAR, "-o", str(out / f"{plan.name}-form.xlsx")]
    table["progress form"].append("--force")
    found: dict[str, list[str] | None] = {}
    for name, argv in table.items():
        found[name] = argv if available(*name.split()[:1]) and (pdf or name != "render pdf") else None
    filled = filled_form(plan, out)
    found["progress record"] = [*base, "progress", "record", str(filled), "--dry-run"] if filled else None
    workbook = edited_workbook(plan, out)
    found["import xlsx --onto"] = (
        [*base, "import", str(workbook), "--onto", str(plan), "--dry-run"] if workbook else None
    )
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


def runs_for(label: str, runs: int) -> int:
    size = int(label[2:]) if label.startswith("N=") else 0
    return 1 if size >= 3000 else min(runs, 3) if size >= 1000 else runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 runs per command (default: 5; 3 at N=1000, 1 at 3000)")
    parser.add_argument("--smoke", action="store_true", help="every command once, on N=8 (CI)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="synthetic sizes, default 8,100,1000,3000")
    parser.add_argument("--pdf-3000", action="store_true", help="also render the PDF at 3,000 objectives (minutes)")
    parser.add_argument(
        "--compare", type=Path, metavar="BIN", help="another lgcb's bin/ folder: shipped plan, in turns"
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "lgcb-bench", help="work dir")
    parser.add_argument("--markdown", type=Path, help="also write the Markdown tables to this file")
    args = parser.parse_args(argv)
    sizes = [8] if args.smoke else [int(s) for s in args.sizes.split(",") if s]
    runs = 1 if args.smoke else 2 if args.quick else 5
    work: Path = args.work
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    plans: dict[str, Path] = {} if args.smoke else {"shipped": SHIPPED}
    for size in sizes:
        log(f"generating N={size} …")
        plans[f"N={size}"] = synthetic(size, work)
    entries = {label: census(path) for label, path in plans.items()}

    plan_schema, objective_schema, schema_origin = schemas(work / "schemas")
    results: dict[str, dict[str, Sample | None]] = {}

    # Every plan's commands are timed in the same turns, each command on every plan one after the
    # other: a drift of the machine's speed then falls on all sizes alike, and the growth from one
    # size to the next (3,000 ÷ 1,000) is measured as fairly as the ratios between commands.
    def with_pdf(label: str) -> bool:
        return args.pdf_3000 or not label.startswith("N=") or int(label[2:]) < 3000

    table = {label: commands_for(path, out, with_pdf(label)) for label, path in plans.items()}
    names = list(dict.fromkeys(name for commands in table.values() for name in commands))
    turns: dict[tuple[str, str], list[list[str]]] = {}
    for name in names:
        for label in plans:
            argv = table[label].get(name)
            if argv is not None:
                turns[(label, name)] = [argv]
    counts = {key: runs_for(key[0], runs) for key in turns}
    log(f"{len(turns)} commands on {len(plans)} plans, up to {max(counts.values())} runs each, in turns …")
    timed = interleaved(turns, max(counts.values()), work, expect=(0,), counts=counts)
    for label in plans:
        results[label] = {name: timed.get((label, name)) for name in table[label]}
    for label, path in plans.items():
        if label.startswith("N=") and int(label[2:]) >= 1000:
            continue  # check-jsonschema takes ~40 s a run at 1,000 objectives: the smaller plans show its growth
        log(f"{label}: check-jsonschema …")
        results[label]["check-jsonschema"] = measure(
            jsonschema_commands(path, plan_schema, objective_schema), runs_for(label, runs), work, expect=(0, 1)
        )

    log("reference points, in turns …")
    named = {
        "click": [[sys.executable, "-c", "import click"]],
        "floor": [[sys.executable, "-c", FLOOR]],
        "help": [[LGCB, "--help"]],
        "validate": [[LGCB, "--plan", str(SHIPPED), "validate"]],
        "check-jsonschema": jsonschema_commands(SHIPPED, plan_schema, objective_schema),
    }
    reference = interleaved(named, runs * REFERENCE_RUNS, work)
    hostile_results = {
        name: measure([[LGCB, "--plan", str(p), "validate"]], runs, work, expect=(1,))
        for name, p in hostile(work).items()
    }
    compared = compare_with(args.compare, out, runs * 2, work) if args.compare else {}

    checks = targets(results, reference, compared)
    text = report(plans, entries, results, reference, hostile_results, compared, checks, runs, schema_origin)
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    broken = [
        f"{label}: {name}: {sample.error}"
        for label, row in results.items()
        for name, sample in row.items()
        if sample is not None and not sample.ok and name != "check-jsonschema"
    ]
    broken += [f"reference {name}: {s.error}" for name, s in reference.items() if not s.ok]
    broken += [f"hostile {name}: {s.error}" for name, s in hostile_results.items() if not s.ok]
    for line in broken:
        log(f"FAILED {line}")
    return 1 if args.smoke and broken else 0


Check = tuple[str, "float | None", float, str]


def targets(
    results: dict[str, dict[str, Sample | None]],
    reference: dict[str, Sample],
    compared: dict[str, tuple[Sample, Sample]],
) -> list[Check]:
    """Every target of docs/performance.md: (what, measured, limit, unit)."""
    checks: list[Check] = [
        (
            '`lgcb --help` ÷ `python -c "import click"`',
            ratio(reference["help"], reference["click"]),
            HELP_VS_CLICK,
            "×",
        ),
        (
            "`lgcb validate` ÷ yaml+pydantic floor (shipped plan, in turns)",
            ratio(reference["validate"], reference["floor"]),
            VALIDATE_VS_FLOOR,
            "×",
        ),
    ]
    big, biggest = results.get("N=1000", {}), results.get("N=3000", {})
    for name, sample in big.items():
        if name == "check-jsonschema" or sample is None:
            continue
        seconds, mb = (PDF_LIMIT_S, PDF_LIMIT_MB) if name == "render pdf" else (LIMIT_S, LIMIT_MB)
        ok = sample.ok
        checks.append((f"`{name}`, 1,000 objectives: time", sample.seconds if ok else None, seconds, " s"))
        checks.append((f"`{name}`, 1,000 objectives: peak memory", sample.peak_mb if ok else None, mb, " MB"))
    for name, sample in biggest.items():
        before = big.get(name)
        if sample is None or before is None:
            continue
        both = sample.ok and before.ok
        checks.append((f"`{name}`, 3,000 ÷ 1,000 objectives: time", ratio(sample, before), LINEAR, "×"))
        mb = sample.peak_mb / before.peak_mb if both else None
        checks.append((f"`{name}`, 3,000 ÷ 1,000 objectives: memory", mb, LINEAR, "×"))
    for name, (ours, theirs) in compared.items():
        checks.append((f"`{name}`, shipped plan: this lgcb ÷ the other", ratio(ours, theirs), SHIPPED_NOT_SLOWER, "×"))
    return checks


def compare_with(other_bin: Path, out: Path, runs: int, work: Path) -> dict[str, tuple[Sample, Sample]]:
    """The shipped plan's commands timed with this lgcb and another (an earlier version), in turns."""
    other = str(other_bin / "lgcb")
    compared = {}
    for name, argv in commands_for(SHIPPED, out).items():
        if argv is None or name.startswith(("import", "progress record")):
            continue  # their inputs are made by this lgcb
        theirs = [other, *argv[1:]]
        if subprocess.run([other, argv[3], "--help"], capture_output=True, check=False).returncode != 0:
            continue
        samples = interleaved({"ours": [argv], "theirs": [theirs]}, runs, work)
        if samples["ours"].ok and samples["theirs"].ok:
            compared[name] = (samples["ours"], samples["theirs"])
    return compared


def report(
    plans: dict[str, Path],
    entries: dict[str, tuple[int, int]],
    results: dict[str, dict[str, Sample | None]],
    reference: dict[str, Sample],
    hostile_results: dict[str, Sample],
    compared: dict[str, tuple[Sample, Sample]],
    checks: list[Check],
    runs: int,
    schema_origin: str,
) -> str:
    labels = list(plans)
    names = list(dict.fromkeys(name for row in results.values() for name in row))
    linear = "N=3000" in results and "N=1000" in results

    def growth(name: str) -> str:
        a, b = results["N=3000"].get(name), results["N=1000"].get(name)
        g = ratio(a, b)
        return f"{g:.1f}× · {a.peak_mb / b.peak_mb:.1f}×" if g and a and b else "n/a"

    lines = [
        f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()}, Python "
        f"{platform.python_version()}; {runs} runs per command after a warm-up ({min(runs, 3)} at N=1000, "
        f"1 at N=3000), in turns, median wall time · peak memory (RSS); "
        f"reference points {runs * REFERENCE_RUNS} runs in turns. "
        f"Schemas from {schema_origin}.",
        "",
        "| command | "
        + " | ".join(f"{label} ({entries[label][1]:,} entries)" for label in labels)
        + (" | 3,000 ÷ 1,000 (time · memory) |" if linear else " |"),
        "|---|" + "---:|" * len(labels) + ("---:|" if linear else ""),
    ]
    for name in names:
        cells = [fmt_sample(results[label].get(name)) for label in labels]
        lines.append(f"| {name} | " + " | ".join(cells) + (f" | {growth(name)} |" if linear else " |"))
    lines += [
        "",
        "| reference point | time · peak RSS |",
        "|---|---:|",
        f'| `python -c "import click"` | {fmt_sample(reference["click"])} |',
        f"| yaml + pydantic floor (import both, validate one trivial model) | {fmt_sample(reference['floor'])} |",
        f"| `lgcb --help` | {fmt_sample(reference['help'])} |",
        f"| `lgcb validate`, shipped plan (measured in the same turns) | {fmt_sample(reference['validate'])} |",
        f"| check-jsonschema, shipped plan (same turns) | {fmt_sample(reference['check-jsonschema'])} |",
        "",
        "| hostile file, rejected by `lgcb validate` (exit 1) | time · peak RSS |",
        "|---|---:|",
        *(f"| {name} | {fmt_sample(s)} |" for name, s in hostile_results.items()),
    ]
    if compared:
        lines += ["", "| shipped plan, in turns | this lgcb | the other |", "|---|---:|---:|"]
        lines += [f"| {name} | {fmt_sample(a)} | {fmt_sample(b)} |" for name, (a, b) in compared.items()]
    lines += ["", "| target | measured | limit | |", "|---|---:|---:|---|"]
    for label, value, limit, unit in checks:
        shown = "n/a" if value is None else f"{value:.2f}{unit}"
        lines.append(f"| {label} | {shown} | {limit:g}{unit} | {verdict(value, limit)} |")
    met = sum(verdict(v, limit) == "meets" for _, v, limit, _ in checks)
    cpu = "; ".join(
        f"{label} validate {row['validate'].cpu_seconds:.2f}"
        for label, row in results.items()
        if row.get("validate") and row["validate"].ok  # type: ignore[union-attr]
    )
    lines += ["", f"Targets met: {met} of {len(checks)}.", "", f"CPU seconds (user+system, median): {cpu}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
