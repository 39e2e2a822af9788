"""An entry's ID in a Word paragraph: the leading runs in the "ItemID" character style.

Word splits and merges runs as people edit, so the ID is the text of *all* the leading runs in
that style (or of the first run, when a person's copy lost the style), tabs and breaks read as
``paragraph_text`` reads them.  The reader works on a compiled XPath (no element objects made for
runs); a run-by-run walk over the elements, as the rule is worded, is the oracle it must match.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lgcb.word.revisions import RPR, W_NS, R, paragraph_id, paragraph_text, w

_W = f'xmlns:w="{W_NS}"'


def _p(inner: str) -> Any:
    return etree.fromstring(f"<w:p {_W}>{inner}</w:p>")


def _run(text: str, style: str | None = "ItemID", extra: str = "") -> str:
    rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t>{extra}</w:r>'


def test_the_id_run_lgcb_writes() -> None:
    assert paragraph_id(_p(_run("3.R1 ") + _run("Results text", None))) == "3.R1"
    assert paragraph_id(_p('<w:pPr><w:pStyle w:val="Normal"/></w:pPr>' + _run("1.A5.2 ") + _run("x", None))) == "1.A5.2"


def test_an_id_that_word_split_into_several_runs() -> None:
    assert paragraph_id(_p(_run("3.") + _run("R1") + _run(" ") + _run("text", None))) == "3.R1"


def test_a_copy_that_lost_the_style_still_has_its_id_in_the_first_run() -> None:
    assert paragraph_id(_p(_run("2.O4 ", None) + _run("text", "ItemID"))) == "2.O4"
    assert paragraph_id(_p(_run("2.O4 text", None))) is None  # the first run is more than an ID


def test_what_is_not_an_id() -> None:
    assert paragraph_id(_p("")) is None
    assert paragraph_id(_p('<w:pPr><w:pStyle w:val="Normal"/></w:pPr>')) is None
    assert paragraph_id(_p(_run("3.R1"))) is None  # lgcb writes a space after the ID
    assert paragraph_id(_p(_run("Results"))) is None
    assert paragraph_id(_p(_run("3.R1", extra="<w:tab/>"))) is None  # a tab is not the space
    assert paragraph_id(_p(_run("3.R", extra="<w:br/>") + _run("1 "))) is None  # a line break inside
    assert paragraph_id(_p("<w:hyperlink>" + _run("3.R1 ") + "</w:hyperlink>")) is None  # not a run of the paragraph


def test_a_page_break_in_the_id_run_is_layout() -> None:
    assert paragraph_id(_p(_run("3.R", extra='<w:br w:type="page"/>') + _run("1 "))) == "3.R1"


def _walked(p: Any) -> str | None:
    """The rule, run by run over the paragraph's elements."""
    import re

    first, leading = None, []
    for run in p:
        if run.tag != R:
            continue
        if first is None:
            first = run
        properties = run.find(RPR)
        style = properties.find(w("rStyle")) if properties is not None else None
        if style is None or style.get(w("val")) != "ItemID":
            break
        leading.append(paragraph_text(run))
    if first is None:
        return None
    text = "".join(leading) if leading else paragraph_text(first)
    return text[:-1] if text.endswith(" ") and re.match(r"^\d+\.[A-Z]\d+(?:\.\d+)*$", text[:-1]) else None


_texts = st.sampled_from(["3.", "R1", "3.R1", " ", "3.R1 ", "1.A5.2 ", "text", "", ".2 ", "O4"])
_extras = st.sampled_from(
    ["", "<w:tab/>", "<w:br/>", '<w:br w:type="page"/>', "<w:cr/>", '<w:t xml:space="preserve"> </w:t>']
)
_styles = st.sampled_from(["ItemID", None, "Strong", "ItemID"])
_pieces = st.one_of(
    st.builds(_run, _texts, _styles, _extras),
    st.builds(lambda t: f"<w:r><w:t>{t}</w:t></w:r>", _texts.filter(lambda t: t.strip() == t)),
    st.just(
        '<w:r><w:rPr><w:b/></w:rPr><w:rPr><w:rStyle w:val="ItemID"/></w:rPr><w:t xml:space="preserve">3.R1 </w:t></w:r>'
    ),
    st.just('<w:r><w:rPr><w:rStyle w:val="Strong"/><w:rStyle w:val="ItemID"/></w:rPr><w:t>3.R1 </w:t></w:r>'),
    st.just('<w:bookmarkStart w:id="0" w:name="x"/>'),
    st.just('<w:pPr><w:pStyle w:val="Normal"/></w:pPr>'),
    st.just("<w:ins>" + _run("3.R1 ") + "</w:ins>"),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_pieces, max_size=6))
def test_the_reader_matches_the_rule_on_any_run_sequence(pieces: list[str]) -> None:
    p = _p("".join(pieces))
    assert paragraph_id(p) == _walked(p)
