"""Entry IDs: their form, how they are compared, suggested and assigned — in one place.

An ID is ``<objective>.<letter><n>`` with nested entries adding ``.<n>`` (``3.A1``, ``1.A1.2``):
O outcome, I indicator, R result, A activity, G group heading.  IDs are compared without regard
to case everywhere (``3.r1`` finds ``3.R1``), in the command line, in links and in progress files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

ID_LETTERS: dict[str, str] = {"outcome": "O", "indicator": "I", "result": "R", "activity": "A", "group": "G"}
"""Entry kind → the letter its IDs carry."""

KIND_OF_LETTER = {letter: kind for kind, letter in ID_LETTERS.items()}

ID_FORM = re.compile(r"^(\d+)\.([A-Za-z])(\d+)((?:\.\d+)*)$")
"""Any well-formed ID: objective number, letter, number, nested numbers."""

_PATTERNS = {kind: re.compile(rf"^\d+\.{letter}\d+(\.\d+)*$") for kind, letter in ID_LETTERS.items()}


def key(entry_id: str) -> str:
    """The form IDs are compared in: stripped and case-folded."""
    return entry_id.strip().casefold()


def has_form(entry_id: str, kind: str) -> bool:
    """Whether ``entry_id`` has the form of an ID of ``kind`` as plan files write it (``3.R1``)."""
    return _PATTERNS[kind].match(entry_id) is not None


def example(kind: str, objective: int) -> str:
    """What an ID of ``kind`` looks like, for messages: ``3.R1 (nested: 3.R1.2)``."""
    letter = ID_LETTERS[kind]
    return f"{objective}.{letter}1 (nested: {objective}.{letter}1.2)"


def kind_of(entry_id: str) -> str | None:
    """The kind an ID's letter says (``3.A1`` → activity), or ``None`` for a malformed ID."""
    m = ID_FORM.match(entry_id.strip())
    return KIND_OF_LETTER.get(m.group(2).upper()) if m else None


def suggest(wanted: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``wanted`` was most likely meant to be: same ID in another case, a swap of two
    neighbouring characters, else the closest by difflib (see :class:`Suggestions`)."""
    return Suggestions(candidates)(wanted)


class Suggestions:
    """Suggestions from one pool of IDs, for any number of misspelt ones: the pool is indexed once,
    so that a file naming thousands of unknown IDs costs thousands of look-ups, not thousands of
    passes over a plan's 50,000 IDs.

    The closest-by-spelling step (difflib, linear in the pool) looks among the IDs of the same
    objective (``3.`` for ``3.R9x``) once the pool is larger than :attr:`WHOLE_POOL`.
    """

    WHOLE_POOL = 500

    def __init__(self, candidates: Iterable[str]) -> None:
        self._candidates: Iterable[str] | None = candidates
        self._by_key: dict[str, str] = {}
        self._pools: dict[str, list[str]] | None = None

    def __call__(self, wanted: str) -> str | None:
        if self._candidates is not None:  # indexed on first use: most checks never need a suggestion
            for candidate in self._candidates:
                self._by_key.setdefault(key(candidate), candidate)
            self._candidates = None
        folded = key(wanted)
        by_key = self._by_key
        if folded in by_key:
            return by_key[folded]
        for i in range(len(folded) - 1):
            swapped = folded[:i] + folded[i + 1] + folded[i] + folded[i + 2 :]
            if swapped != folded and swapped in by_key:
                return by_key[swapped]
        import difflib  # only for messages

        close = difflib.get_close_matches(folded, self._pool(folded), n=1, cutoff=0.6)
        return by_key[close[0]] if close else None

    def _pool(self, folded: str) -> list[str]:
        if len(self._by_key) <= self.WHOLE_POOL:
            return list(self._by_key)
        if self._pools is None:
            self._pools = {}
            for k in self._by_key:
                self._pools.setdefault(k.partition(".")[0], []).append(k)
        return self._pools.get(folded.partition(".")[0], [])


class Index:
    """Look-up by ID regardless of case: ``index["3.r1"]`` is the entry ``3.R1``."""

    def __init__(self, pairs: Iterable[tuple[str, Any]] = ()) -> None:
        self._by_key: dict[str, tuple[str, Any]] = {}
        for entry_id, value in pairs:
            self._by_key.setdefault(key(entry_id), (entry_id, value))

    @classmethod
    def keyed(cls, by_key: dict[str, tuple[str, Any]]) -> Index:
        """An index of pairs already keyed by :func:`key`: ``{key: (entry_id, value)}``."""
        index = cls()
        index._by_key = by_key
        return index

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and key(entry_id) in self._by_key

    def get(self, entry_id: str, default: Any = None) -> Any:
        found = self._by_key.get(key(entry_id))
        return found[1] if found else default

    def __getitem__(self, entry_id: str) -> Any:
        return self._by_key[key(entry_id)][1]

    def spelling(self, entry_id: str) -> str | None:
        """The ID as the plan writes it."""
        found = self._by_key.get(key(entry_id))
        return found[0] if found else None

    def ids(self) -> list[str]:
        return [spelled for spelled, _ in self._by_key.values()]

    def __len__(self) -> int:
        return len(self._by_key)


COLUMN_KINDS = {"outcomes": "outcome", "indicators": "indicator", "results": "result", "activities": "activity"}


def _entries(objective: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack = [e for column in COLUMN_KINDS for e in objective.get(column, [])]
    while stack:
        entry = stack.pop()
        yield entry
        stack.extend(entry.get("items", []))


def assign_ids(objective: dict[str, Any]) -> list[str]:
    """Give every entry of an objective's data that has no ``id`` one, the way the plan numbers them.

    Top-level entries get ``N.<letter><k>``, nested ones ``<parent>.<k>``, group headings ``N.G<k>``,
    where ``k`` is one more than the highest number already used at that place, so an ID once given
    (and perhaps removed since) is never given again to another entry.  Returns the new IDs.
    """
    n = objective["number"]
    used = {key(e["id"]) for e in _entries(objective) if e.get("id")}
    given: list[str] = []

    def highest(prefix: str) -> int:
        pattern = re.compile(rf"^{re.escape(key(prefix))}(\d+)$")
        return max((int(m.group(1)) for u in used if (m := pattern.match(u))), default=0)

    def fresh(prefix: str) -> str:
        value = f"{prefix}{highest(prefix) + 1}"
        used.add(key(value))
        given.append(value)
        return value

    def nested(entry: dict[str, Any]) -> None:
        for child in entry.get("items", []):
            if not child.get("id"):
                child["id"] = fresh(f"{entry['id']}.")
            nested(child)

    for column, kind in COLUMN_KINDS.items():
        top = f"{n}.{ID_LETTERS[kind]}"
        for entry in objective.get(column, []):
            if "group" in entry:
                if not entry.get("id"):
                    entry["id"] = fresh(f"{n}.G")
                for item in entry.get("items", []):
                    if not item.get("id"):
                        item["id"] = fresh(top)
                    nested(item)
            else:
                if not entry.get("id"):
                    entry["id"] = fresh(top)
                nested(entry)
    return given
