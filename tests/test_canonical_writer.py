"""The canonical layout written line by line must be, byte for byte, what PyYAML and ``lgcb fmt``'s
round-trip formatter make of the same data, or leave that data to them; and ``lgcb fmt`` may skip
the formatter only for a text the formatter gives back unchanged.

Checked on the shipped plan, on synthetic plans, and on data and texts drawn by hypothesis from
the characters YAML treats specially.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgcb.model import Objective, PlanInfo, ProgressFile
from lgcb.planfile.fmt import already_canonical, format_text, model_for, plan_files, scalar_text
from lgcb.planfile.read import parse_yaml
from lgcb.planfile.write import _formatted, _text_scalar, canonical_text, to_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("LGCB_FUZZ_EXAMPLES", "30"))
SETTINGS = settings(max_examples=EXAMPLES * 10, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that decide quoting: indicators, separators, digits and number/date letters, spaces of
# several kinds, line breaks of every kind, controls, a BOM, accents and a character beyond the BMP.
ALPHABET = [
    *"aZeEtTxy019.:-+_ #'\"?,[]{}&*!|>%@`~=<()/\\",
    *("\t", "\n", "\r", "\x85", "\u2028", "\u2029", "\x00", "\x7f", "\ufeff", "\xa0", "\u3000"),
    *("é", "–", "’", "\U0001f600"),
]
AWKWARD = (
    *("yes", "No", "TRUE", "off", "null", "Null", "~", "1.1", "3.O1", "1e3", "0x1F", "0o17", "1_000", "12:30"),
    *("2015-01-01", "2015-1-1 10:00:00", ".inf", "-.5", "+1", "=", "<<", "...", "---", "- x", "a: b", "a #b"),
    *("a:b", "C#", "trailing ", " leading", "Development of a guide on:", ""),
)
"""Texts YAML reads as another type, or quotes, or lets be plain only just."""
TEXTS = st.one_of(st.text(alphabet=st.sampled_from(ALPHABET), max_size=12), st.sampled_from(AWKWARD))
SCALARS = st.one_of(TEXTS, st.integers(-(10**20), 10**20), st.floats(allow_nan=False), st.booleans(), st.none())
KEYS = st.one_of(st.sampled_from(["id", "text", "number", "items", "targets", "1.I1", "value"]), TEXTS)


def synthetic(objectives: int, directory: Path, seed: int) -> Path:
    """A synthetic plan of ``benchmarks/generate.py`` (monitoring rounds included), written."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import write_synthetic
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return write_synthetic(objectives, directory, seed)


DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4))


def test_the_shipped_plan_and_synthetic_plans_are_written_as_the_formatter_writes_them(tmp_path: Path) -> None:
    files = plan_files(ROOT / "plan") + plan_files(synthetic(12, tmp_path / "plan", seed=7))
    assert len(files) > 20
    for path in files:
        data, model = parse_yaml(path.read_text(encoding="utf-8")), model_for(path)
        written = canonical_text(data, model)
        assert written is not None, path
        assert written == _formatted(data, model), path


@SETTINGS
@given(TEXTS)
def test_every_text_is_quoted_as_the_formatter_quotes_it(text: str) -> None:
    assert _text_scalar(text) == scalar_text(text)


@SETTINGS
@given(st.dictionaries(KEYS, DATA, min_size=1, max_size=6), st.sampled_from([Objective, PlanInfo, ProgressFile]))
def test_any_data_is_written_as_the_formatter_writes_it_or_left_to_it(data: dict[str, Any], model: type) -> None:
    written = canonical_text(data, model)
    if written is None:
        return
    expected = _formatted(data, model)
    assert written == expected
    assert format_text(written, model) == written


@SETTINGS
@given(
    st.lists(st.one_of(st.text(alphabet=st.sampled_from([" ", "\t", "a", "#", "é", ":"]), max_size=8)), max_size=4),
    st.lists(st.booleans(), max_size=4),
)
def test_a_header_of_comment_lines_is_kept_by_the_formatter(comments: list[str], blanks: list[bool]) -> None:
    body = canonical_text({"number": 3, "title": "x", "outcomes": [{"id": "3.O1", "text": "a: b"}]}, Objective)
    assert body is not None
    header = "".join(f"#{c}\n" + ("\n" if blank else "") for c, blank in zip(comments, blanks, strict=False))
    text = header + body
    if already_canonical(text, parse_yaml(text), Objective):
        assert format_text(text, Objective) == text


def test_data_only_the_formatter_can_write_is_left_to_it() -> None:
    assert canonical_text({"a": [[1, 2]]}, Objective) is None  # a list in a list
    assert canonical_text({"yes": 1}, Objective) is None  # a key YAML would quote
    assert canonical_text({"a": "x" * 10, "k" * 200: 1}, Objective) is None  # a complex key
    assert canonical_text({"outcomes": []}, Objective) is None  # a file that would start with a blank line
    assert canonical_text([], Objective) is None
    # ... and to_yaml still writes it, through the formatter
    assert to_yaml({"a": [[1, 2]]}, Objective) == "a:\n  -   - 1\n      - 2\n"


def test_a_text_that_would_not_read_back_is_written_by_the_formatter(monkeypatch: pytest.MonkeyPatch) -> None:
    from lgcb.planfile import write

    monkeypatch.setattr(write, "_text_scalar", lambda text: "'wrong'")
    assert to_yaml({"title": "right"}, Objective) == "title: right\n"


def test_fmt_check_of_a_large_written_plan_never_runs_the_formatter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lgcb.planfile import fmt

    plan = synthetic(20, tmp_path / "plan", seed=3)
    (plan / "plan.yaml").write_text(
        "# a header comment\n\n" + (plan / "plan.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )

    def refuse(*args: Any) -> str:
        raise AssertionError("the formatter ran")

    monkeypatch.setattr(fmt, "format_text", refuse)
    results = fmt.format_paths([plan], apply=False)
    assert results and not any(r.changed or r.problems for r in results)
