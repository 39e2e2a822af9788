"""The line-by-line reader of the block layout must read every file exactly as libyaml does, or
leave it to libyaml: never a different text, number, key or list.  It is checked against libyaml on
the shipped plan, on every YAML file of the test corpus, on what the writer writes, and on lines
drawn by hypothesis from YAML's significant characters.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgcb.checks.load import load_plan
from lgcb.planfile import block
from lgcb.planfile.read import _fast_data, _keep_positions, _MarkLoader, _PlanLoader, read_yaml
from lgcb.planfile.write import plan_texts, write_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("LGCB_FUZZ_EXAMPLES", "30"))
SETTINGS = settings(max_examples=EXAMPLES * 10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def libyaml(text: str) -> tuple[str, Any]:
    """What read.py's libyaml path makes of ``text``: its data, or that it has an error or a duplicate key."""
    loader = _PlanLoader(text)
    try:
        data = _fast_data(loader, text)
    except (yaml.YAMLError, RecursionError):
        return "error", None
    finally:
        loader.dispose()
    return ("duplicate" if loader.duplicates else "data"), data


def entry_marks(text: str) -> dict[tuple[Any, ...], tuple[int, int]]:
    """Where libyaml's nodes say each list entry starts, for every list of the file."""
    root = yaml.compose(text, Loader=_MarkLoader)
    found: dict[tuple[Any, ...], tuple[int, int]] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        if isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                found[(*path, i)] = (child.start_mark.line + 1, child.start_mark.column + 1)
                walk(child, (*path, i))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))

    walk(root, ())
    return found


def assert_same_as_libyaml(text: str) -> bool:
    """The block reader gives libyaml's data and entry positions, or declines; whether it read."""
    positions: dict[tuple[Any, ...], tuple[int, int]] = {}
    ours = block.read(text, positions)
    if ours is None:
        assert positions == {}
        return False
    kind, theirs = libyaml(text)
    assert kind == "data", f"libyaml found {kind} in a file the block reader read:\n{text}"
    assert ours == theirs and repr(ours) == repr(theirs)  # repr: 1 and True and 1.0 are equal, not the same
    assert positions == entry_marks(text)
    return True


def corpus() -> list[Path]:
    shipped = [ROOT / "plan" / "plan.yaml", *sorted((ROOT / "plan" / "objectives").glob("*.yaml"))]
    tests = sorted(p for p in (ROOT / "tests").rglob("*.yaml") if p.is_file())
    return shipped + tests


@pytest.mark.parametrize("path", corpus(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_of_the_corpus_is_read_as_libyaml_reads_it_or_left_to_it(path: Path) -> None:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # refused before any YAML is read
        assert [p.rule for p in read_yaml(path).problems] == ["encoding"]
        return
    assert_same_as_libyaml(text)


def test_the_shipped_plan_is_read_without_libyaml() -> None:
    """The fast path is the path the shipped plan takes, file by file."""
    for path in corpus()[:9]:
        assert block.read(path.read_text(encoding="utf-8")) is not None, path


def test_what_the_writer_writes_is_read_without_libyaml(plan: Any) -> None:
    for name, text in plan_texts(plan).items():
        assert assert_same_as_libyaml(text), name


def test_a_plan_read_without_node_trees_is_the_plan_libyaml_reads(plan_dir: Path, monkeypatch) -> None:
    fast = load_plan(plan_dir)
    monkeypatch.setattr(block, "read", lambda text, positions=None: None)
    slow = load_plan(plan_dir)
    assert fast.plan == slow.plan and fast.problems == slow.problems == []


def test_kept_positions_are_the_node_marks(plan_dir: Path) -> None:
    """What coverage uses to place findings is what composing the file would say."""
    path = plan_dir / "objectives" / "01-national-biosafety-frameworks.yaml"
    fast = read_yaml(path, positions=True)
    assert fast.positions and "root" not in fast.__dict__
    composed: dict[tuple[Any, ...], tuple[int, int]] = {}
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_MarkLoader)
    for key, value in root.value:
        _keep_positions(composed, (key.value,), value, "items")
    assert composed.items() <= fast.positions.items()
    assert fast.position(("activities", 0, "items", 2)) == composed[("activities", 0, "items", 2)]


DECLINED = {
    "a tab": "a:\tb\n",
    "a carriage return": "a: b\r\nc: d\r\n",
    "a YAML line break Python splits lines on": "a: b\u2028c\n",
    "NEL": "a: b\x85c\n",
    "a byte-order mark inside": "a: b\ufeff\n",
    "a block scalar": "a: |\n  b\n",
    "a folded scalar": "a: >-\n  b\n",
    "a flow list": "a: [b, c]\n",
    "a flow mapping": "a: {b: c}\n",
    "an empty flow list": "a: []\n",
    "an anchor": "a: &x b\nc: *x\n",
    "a tag": "a: !!str 1\n",
    "a duplicate key": "a: 1\na: 2\n",
    "a duplicate key in a list entry": "l:\n  - a: 1\n    a: 2\n",
    "a plain text over two lines": "a: b\n  c\n",
    "a quoted text over two lines": "a: 'b\n  c'\n",
    "a double-quoted line continuation": 'a: "b\\\n  c"\n',
    "a text on the line after its key": "a:\n  b\n",
    "a list not indented under its key": "a:\n- b\n- c\n",
    "a list in a list": "a:\n  - - b\n",
    "a dash alone": "a:\n  -\n    b: c\n",
    "a root list": "- a\n- b\n",
    "a root text": "just text\n",
    "an indented root": "  a: b\n",
    "only comments": "# nothing\n",
    "a document marker": "---\na: b\n",
    "a document end": "a: b\n...\n",
    "a directive": "%YAML 1.1\n---\na: b\n",
    "a key read as a truth value": "yes: b\n",
    "a key read as a number": "1: b\n",
    "a key read as null": "null: b\n",
    "a key in quotes": "'a': b\n",
    "a key with a space before its colon": "a : b\n",
    "a complex key": "? a\n: b\n",
    "a merge key": "<<: a\n",
    "': ' inside a plain text": "a: b: c\n",
    "a plain text ending in ':'": "a: b:\n",
    "a comment right after the key": "a: # note\n",
    "an alias": "a: *b\n",
    "a bad indentation": "a:\n    b: 1\n  c: 2\n",
    "a mapping after a list at the list's indentation": "a:\n  - b\n  c: d\n",
    "an unknown escape": 'a: "\\q"\n',
    "a hexadecimal escape": 'a: "\\x41"\n',
    "an unclosed quote": "a: 'b\n",
    "text after a closing quote": "a: 'b'c\n",
    "a reserved indicator": "a: @b\n",
    "a backtick": "a: `b`\n",
    "the value indicator": "a: =\n",
    "a sequence entry in a value": "a: - b\n",
    "nesting deeper than any plan file": "".join("  " * k + "a:\n" for k in range(3000)) + "  " * 3000 + "a: b\n",
    "lists nested deeper than any plan file": "".join("  " * k + "- a:\n" for k in range(2000)) + "  " * 2000 + "- b\n",
}


@pytest.mark.parametrize("text", DECLINED.values(), ids=DECLINED.keys())
def test_yaml_beyond_the_block_layout_is_left_to_libyaml(text: str) -> None:
    assert block.read(text) is None


READ = {
    "plain text": ("a: b c  \n", {"a": "b c"}),
    "a comment after a value": ("a: b  # note\n", {"a": "b"}),
    "a '#' inside a word": ("a: b#c\n", {"a": "b#c"}),
    "a colon inside a word": ("a: b:c\n", {"a": "b:c"}),
    "single quotes": ("a: 'b: ''c'' # d'\n", {"a": "b: 'c' # d"}),
    "double quotes with escapes": ('a: "b\\nc\\t\\"d\\\\"\n', {"a": 'b\nc\t"d\\'}),
    "YAML 1.1 scalars": (
        "a: 1_000\nb: 0x1F\nc: 1:30\nd: yes\ne: ~\nf: .inf\ng: 2012-03-20\nh: -1\n",
        {"a": 1000, "b": 31, "c": 90, "d": True, "e": None, "f": float("inf"), "g": "2012-03-20", "h": -1},
    ),
    "an empty value": ("a:\nb: c\n", {"a": None, "b": "c"}),
    "a nested mapping": ("a:\n  b:\n    c: d\n  e: f\n", {"a": {"b": {"c": "d"}, "e": "f"}}),
    "lists of mappings and texts": (
        "l:\n  -   id: x\n      items:\n        - y\n        - 'z'\n  - id: w\n",
        {"l": [{"id": "x", "items": ["y", "z"]}, {"id": "w"}]},
    ),
    "indicators that may start a plain text": ("a: -b\nc: ?d\ne: :f\n", {"a": "-b", "c": "?d", "e": ":f"}),
    "progress keys": ("3.I1:\n  - period: '2012'\n    value: 52\n", {"3.I1": [{"period": "2012", "value": 52}]}),
    "non-ASCII text": ("a: 15–16 March, “Prague”\n", {"a": "15–16 March, “Prague”"}),
}


@pytest.mark.parametrize(("text", "data"), READ.values(), ids=READ.keys())
def test_the_block_layout_is_read_as_libyaml_reads_it(text: str, data: Any) -> None:
    assert block.read(text) == data
    assert assert_same_as_libyaml(text)


# Lines built from the pieces that matter to YAML: indentation, dashes, keys YAML reads as text or
# not, colons, and values drawn from its significant characters, with comments and blank lines.
KEYS = st.sampled_from(["id", "text", "items", "a.b", "3.I1", "x-y", "y", "no", "1", "null", "_", "é", "a b", "on"])
VALUE = st.text(alphabet="ab1.:-#'\"\\ ntyo~&*!|>[]{},?%@`=<\t\r\u2028é", max_size=12)


@st.composite
def lines(draw: st.DrawFn) -> str:
    out = []
    for _ in range(draw(st.integers(1, 8))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 4, 6, 1, 3]))
        kind = draw(
            st.sampled_from(["key", "key", "key-empty", "dash-key", "dash-key", "dash-value", "comment", "blank"])
        )
        if kind == "comment":
            out.append(indent + "# " + draw(VALUE))
        elif kind == "blank":
            out.append(indent)
        else:
            dash = draw(st.sampled_from(["- ", "-  ", "-"])) if kind.startswith("dash") else ""
            if kind == "dash-value":
                out.append(indent + dash + draw(VALUE))
            else:
                sep = draw(st.sampled_from([": ", ":  ", ":", " : "]))
                value = "" if kind == "key-empty" else draw(VALUE)
                out.append(indent + dash + draw(KEYS) + sep + value)
    return "\n".join(out) + draw(st.sampled_from(["\n", ""]))


# Mostly what the layout holds, so that most drawn files are read rather than left to libyaml.
DOC_KEYS = st.sampled_from(
    ["id", "text", "items", "a.b", "3.I1", "x-y", "_", "Yes2"] * 4 + ["y", "no", "1", "null", "on"]
)
DOC_VALUE = st.text(alphabet="ab1.:-#'\"\\ ntyo~&*!|>[]{},?%@`=<é–", max_size=12)
SCALAR = st.one_of(
    DOC_VALUE,  # as typed, whatever YAML makes of it
    DOC_VALUE.map(lambda v: "'" + v.replace("'", "''") + "'"),
    st.lists(
        st.sampled_from(["a", " ", "é", "\\n", "\\t", '\\"', "\\\\", "\\/", "\\x41", "\\u00e9", "'", "#"]), max_size=6
    ).map(lambda parts: '"' + "".join(parts) + '"'),
    st.sampled_from(["1", "-2", "1.5", "1e3", "0x1F", "1:30", "yes", "No", "~", "null", "2012-03-20", ".nan", "text"]),
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Files in the block layout (mostly), with the scalars and spacing varied."""
    out: list[str] = []
    step = draw(st.sampled_from([2, 2, 4, 3]))

    def block(indent: int, depth: int) -> None:
        for _ in range(draw(st.integers(1, 3))):
            key = draw(DOC_KEYS)
            pad = " " * indent
            if draw(st.integers(0, 9)) == 0:
                out.append(pad + "# " + draw(DOC_VALUE))
            kind = draw(st.sampled_from(["scalar", "scalar", "map", "list"])) if depth < 3 else "scalar"
            if kind == "scalar":
                out.append(f"{pad}{key}:{draw(st.sampled_from([' ', '  ']))}{draw(SCALAR)}")
            elif kind == "map":
                out.append(f"{pad}{key}:")
                block(indent + step, depth + 1)
            else:
                out.append(f"{pad}{key}:")
                inner = indent + draw(st.sampled_from([step, step, 0]))
                for _ in range(draw(st.integers(1, 3))):
                    dash = draw(st.sampled_from(["- ", "- ", "-   "]))
                    if draw(st.booleans()):
                        out.append(" " * inner + dash + draw(SCALAR))
                    else:
                        out.append(" " * inner + dash + f"{draw(DOC_KEYS)}: {draw(SCALAR)}")
                        if draw(st.booleans()):
                            out.append(" " * (inner + len(dash)) + f"{draw(DOC_KEYS)}: {draw(SCALAR)}")
            if draw(st.integers(0, 9)) == 0:
                out.append("")

    block(0, 0)
    return "\n".join(out) + "\n"


@SETTINGS
@given(documents())
def test_documents_in_the_block_layout_are_read_as_libyaml_reads_them(text: str) -> None:
    assert_same_as_libyaml(text)


@SETTINGS
@given(lines())
def test_lines_drawn_from_yamls_significant_characters_are_read_as_libyaml_reads_them(text: str) -> None:
    assert_same_as_libyaml(text)


@settings(deadline=None, max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40), st.sampled_from(["plain", "'", '"']))
def test_any_text_written_as_a_value_is_read_back_as_libyaml_reads_it(value: str, style: str) -> None:
    text = yaml.safe_dump({"text": value, "items": [value, {"id": value}]}, width=10**6, allow_unicode=True)
    if style != "plain":
        text = yaml.dump({"text": value}, Dumper=yaml.SafeDumper, default_style=style, width=10**6, allow_unicode=True)
    assert_same_as_libyaml(text)


def test_a_written_plan_with_every_kind_of_text_is_read_without_libyaml(plan: Any) -> None:
    """Texts that need quotes, escapes or a line break still take the fast path when lgcb writes them."""
    texts = ["'quoted' text", 'a "double" one', "a: colon", "- dash", "# hash", "two\nlines", "yes", "1.5", " spaced "]
    first = plan.objectives[0]
    template = first.outcomes[0]
    outcomes = [template.model_copy(update={"id": f"1.O{n}", "text": t}) for n, t in enumerate(texts, 1)]
    odd = plan.model_copy(update={"objectives": [first.model_copy(update={"outcomes": outcomes})]})
    with tempfile.TemporaryDirectory() as tmp:
        directory = write_plan(odd, Path(tmp) / "plan")
        text = next((directory / "objectives").glob("*.yaml")).read_text(encoding="utf-8")
        assert assert_same_as_libyaml(text), text
        assert [o["text"] for o in block.read(text)["outcomes"]] == texts


def test_a_file_nested_deeper_than_python_recurses_is_reported_not_a_crash(copy_plan: Path) -> None:
    """1,200 levels of block mappings: the block reader leaves the file to libyaml, which refuses it."""
    from click.testing import CliRunner

    from lgcb.cli import cli

    deep = "".join(" " * k + "a:\n" for k in range(1200)) + " " * 1200 + "a: b\n"
    (copy_plan / "objectives" / "01-national-biosafety-frameworks.yaml").write_text(deep, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--plan", str(copy_plan), "validate"])
    assert result.exit_code == 1, result.output
    assert "the YAML is nested far too deeply to be a plan file [yaml-syntax]" in result.output


@settings(deadline=None, max_examples=EXAMPLES * 20)
@given(
    st.text(alphabet="0123456789_.:+- abcdefxABCDEFTtZOIRGn~yo", min_size=1, max_size=25)
    | st.sampled_from(["0x1F", "0b101", "012", "09", "1:30", "1_000", "1e3", "1.5e+3", "2012-03-20", "3.O1", "3.A1"])
    | st.sampled_from(["2012-03-20T10:00:00Z", "2012-3-2 1:02:03.5 +01:00", "No", "yes", "null", "~", "Off"])
)
def test_the_block_readers_resolver_gives_pyyamls_tags(plain: str) -> None:
    """Its shortcuts (a long word is text; a number-like start with a letter no number holds is
    text) give the tag PyYAML's resolver gives, for every plain scalar."""
    loader = yaml.SafeLoader("")
    try:
        assert block.resolve(plain) == loader.resolve(yaml.ScalarNode, plain, (True, False))
    finally:
        loader.dispose()
