"""Finding things in a plan: by ID, by the source's result number, and by full-text search."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from lgcb import ids
from lgcb.model import KINDS, Located, Objective, Plan


def find_item(plan: Plan, item_id: str) -> Located | None:
    """The item or group heading with this ID, case-insensitively."""
    wanted = ids.key(item_id)
    return next((located for located in plan.walk() if ids.key(located.id) == wanted), None)


def missing_objective(plan: Plan, numbers: Iterable[int]) -> str | None:
    """The message for the first of ``numbers`` that is not an objective of the plan, or ``None``."""
    present = {o.number for o in plan.objectives}
    for number in numbers:
        if number not in present:
            listed = ", ".join(str(o.number) for o in plan.objectives)
            return f"there is no objective {number} in the plan (objectives: {listed})"
    return None


def find_result(plan: Plan, number: str) -> Located | None:
    """A result by the source's own numbering ("3.1"), or by ID ("3.R1")."""
    for located in plan.walk():
        if located.number is not None and located.number == number.strip():
            return located
    return find_item(plan, number)


_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",  # ‘ ’ ‛ ′ and the typewriter apostrophe are one character to a search
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',  # “ ” „ ″ « » and the straight double quote likewise
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",  # hyphens and dashes
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)


@functools.cache
def _fold_char(char: str) -> str:
    """One character folded (cached: a plan uses a few hundred distinct characters)."""
    char = char.translate(_PUNCTUATION)
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """Text for matching that ignores case, accents and the kind of quote or dash: "protocol's"
    matches "Protocol’s", "e" matches "é", "2011-2020" matches "2011–2020"."""
    if text.isascii():  # most texts: folding is then lower-casing and the backtick, length kept
        return text.translate(_PUNCTUATION).lower()
    return "".join(map(_fold_char, text))


def _folded_with_map(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each folded character, the index of the original character it came
    from; ``None`` when folding kept every character in place (an ASCII text)."""
    if text.isascii():
        return fold(text), None
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


@dataclass(frozen=True)
class Match:
    located: Located
    spans: tuple[tuple[int, int], ...]
    """Character ranges of the original text that matched, for highlighting."""


def search(plan: Plan, query: str, *, kinds: tuple[str, ...] = (), objectives: tuple[int, ...] = ()) -> list[Match]:
    """Items whose text contains every word of ``query``, ignoring case and accents."""
    terms = [fold(t) for t in query.split() if t.strip()]
    if not terms:
        return []
    matches = []
    for objective in plan.objectives:
        if objectives and objective.number not in objectives:
            continue
        for located in objective.walk():
            if kinds and located.kind not in kinds:
                continue
            folded, origin = _folded_with_map(located.text)
            if not all(term in folded for term in terms):
                continue
            spans: list[tuple[int, int]] = []
            for term in terms:
                for m in re.finditer(re.escape(term), folded):
                    start, end = m.start(), m.end()
                    spans.append((start, end) if origin is None else (origin[start], origin[end - 1] + 1))
            matches.append(Match(located, tuple(_merge(spans))))
    return matches


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def counts(objective: Objective) -> dict[str, int]:
    """Number of items (nested ones included, group headings not) per column."""
    found = dict.fromkeys(KINDS, 0)
    for located in objective.walk():
        if located.kind != "group":
            found[located.column] += 1
    return found
