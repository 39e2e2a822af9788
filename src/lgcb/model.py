"""The plan as typed data: pydantic models for ``plan.yaml`` and the objective files.

Every model forbids unknown fields and takes text strictly, so that a YAML ``no`` or ``1.0`` in a
text field is an error rather than a silent ``False``/``1.0`` in a published record.  Fields that
hold the source's words are named ``text``, ``title``, ``aim`` and ``group``; everything else
(IDs, links, monitoring fields) is our own and never mixed into them.
"""

# Annotations are real objects here, not strings (no ``from __future__ import annotations``):
# pydantic would otherwise evaluate every string annotation at import, which every command pays.
import functools
import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    RootModel,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
    WithJsonSchema,
)

from lgcb.ids import ID_LETTERS as ID_LETTERS  # re-exported: entry kinds and their ID letters

Text = Annotated[StrictStr, Field(min_length=1)]
"""Source text: a non-empty string, never a number or yes/no read from YAML."""

ItemId = Annotated[StrictStr, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Year = Annotated[StrictInt, Field(ge=1900, le=2200)]


def _check_value(value: Any) -> Any:
    """A monitoring value is a number or a text; one clear message instead of one per union member."""
    if isinstance(value, bool):
        raise ValueError(
            'must be a number or a text, but YAML reads this as a yes/no value; put a text in quotes, e.g. "yes"'
        )
    if not isinstance(value, (int, float, str)):
        kind = {list: "a list", dict: "a mapping", type(None): "empty"}.get(type(value), type(value).__name__)
        raise ValueError(f"must be a number (e.g. 42 or 12.5) or a text, not {kind}")
    if isinstance(value, float) and value != value:  # NaN (YAML .nan) compares with nothing
        raise ValueError("must be a number (e.g. 42 or 12.5) or a text, not .nan")
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        raise ValueError("must be a finite number")
    if isinstance(value, str) and not value.strip():
        raise ValueError("is empty; write the value or remove the field")
    return value


Value = Annotated[
    Any,
    AfterValidator(_check_value),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "minLength": 1}]}),
]
"""A baseline, target or observed value: a number, or a text for a qualitative indicator."""

PERIOD_FORMAT = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


@functools.lru_cache(maxsize=4096)
def period_years(period: str) -> tuple[int, int]:
    """First and last year of a period label ("2015" → (2015, 2015), "2014-2015" → (2014, 2015)).

    Cached: every observation's start and end are asked for many times (checks, sorting, status,
    charts), and a plan has few distinct periods.
    """
    m = PERIOD_FORMAT.match(period)
    if m is None:
        raise ValueError(period)
    start = int(m.group(1))
    return start, int(m.group(2) or start)


def _check_period(value: Any) -> str:
    """A year (2015) or a range of years ("2014-2015"), kept as its text label."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or PERIOD_FORMAT.match(value) is None:
        raise ValueError(f'must be a year such as 2015 or a range of years such as "2014-2015", not {value!r}')
    start, end = period_years(value)
    if start > end:
        raise ValueError(f'the range {value!r} ends before it starts; write it as "{end}-{start}"')
    if start == end:
        return str(start)
    return value


Period = Annotated[
    Any,
    AfterValidator(_check_period),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\d{4}(-\d{4})?$"}]}),
]
"""When an observation was made: a year, or a reporting cycle spanning years ("2014-2015")."""

KINDS: dict[str, str] = {
    "outcomes": "outcome",
    "indicators": "indicator",
    "results": "result",
    "activities": "activity",
}
"""Column key → the singular name of its items, in the order of the source's table."""

COLUMN_TITLES: dict[str, str] = {
    "outcomes": "Outcomes",
    "indicators": "Indicators",
    "results": "Results/Outputs",
    "activities": "Activities",
}
"""Column key → the header the source's tables use."""


MEASURES = ("number", "percentage", "ratio", "amount", "qualitative")


def _new_list() -> list[Any]:
    return []


def empty(**kwargs: Any) -> Any:
    """An empty-list default, made fresh per instance (pydantic deep-copies a literal ``[]`` each time,
    which doubled the cost of validating a large plan); the schema still shows ``"default": []``.
    The factory is a plain function because pydantic inspects its signature, slowly for a builtin."""
    return Field(default_factory=_new_list, json_schema_extra={"default": []}, **kwargs)


class Strict(BaseModel):
    # Built on first use: a command validates a few of these models directly (the rest are built
    # inside them), and building every validator at import cost each run about a millisecond a model.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Baseline(Strict):
    """Where an indicator started: IATI's baseline year and value."""

    value: Value
    year: Year
    source: Text | None = None


class Target(Strict):
    """What an indicator should reach by a year."""

    year: Year
    value: Value


class Item(Strict):
    """One entry of a column: the source's words plus our ID; ``items`` holds nested entries."""

    id: ItemId
    text: Text
    note: Text | None = Field(default=None, description="Our own editorial note; not source text.")
    items: list[Any] = empty()


class Outcome(Item):
    items: list["Outcome"] = empty()


class Indicator(Item):
    items: list["Indicator"] = empty()
    measures: list[ItemId] = empty(description="IDs of the outcomes this indicator measures.")
    measure: Literal["number", "percentage", "ratio", "amount", "qualitative"] | None = None
    unit: Text | None = None
    baseline: Baseline | None = None
    targets: list[Target] = empty()
    means_of_verification: Text | None = None


class Result(Item):
    items: list["Result"] = empty()
    number: Annotated[StrictStr, Field(pattern=r"^\d+(\.\d+)*$")] | None = Field(
        default=None, description='The source\'s own numbering of the result, e.g. "3.1".'
    )


class Activity(Item):
    items: list["Activity"] = empty()
    serves: list[ItemId] = empty(description="IDs of the results this activity serves.")


class Group(Strict):
    """A heading inside a column (e.g. "Related to the checkpoints") with the entries under it."""

    id: ItemId
    group: Text
    items: list[Any] = empty()


class OutcomeGroup(Group):
    items: list[Outcome] = empty()


class IndicatorGroup(Group):
    items: list[Indicator] = empty()


class ResultGroup(Group):
    items: list[Result] = empty()


class ActivityGroup(Group):
    items: list[Activity] = empty()


def _entry_tag(value: Any) -> str:
    if isinstance(value, dict) and "group" in value:
        return "<group>"
    if isinstance(value, Group):
        return "<group>"
    return "<item>"


OutcomeEntry = Annotated[
    Annotated[Outcome, Tag("<item>")] | Annotated[OutcomeGroup, Tag("<group>")], Discriminator(_entry_tag)
]
IndicatorEntry = Annotated[
    Annotated[Indicator, Tag("<item>")] | Annotated[IndicatorGroup, Tag("<group>")], Discriminator(_entry_tag)
]
ResultEntry = Annotated[
    Annotated[Result, Tag("<item>")] | Annotated[ResultGroup, Tag("<group>")], Discriminator(_entry_tag)
]
ActivityEntry = Annotated[
    Annotated[Activity, Tag("<item>")] | Annotated[ActivityGroup, Tag("<group>")], Discriminator(_entry_tag)
]
"""A column's entry: an item, or a group heading with items under it (told apart by ``group``)."""


Entry = Item | Group


class Objective(Strict):
    """One operational objective: a row of the annex with its four columns."""

    number: Annotated[StrictInt, Field(ge=1, le=100_000)]
    title: Text
    aim: Text
    strategic_plan_objective: Annotated[StrictStr, Field(pattern=r"^\d+(\.\d+)*$")] = Field(
        description='The Strategic Plan operational objective this one serves, e.g. "2.3".'
    )
    outcomes: list[OutcomeEntry] = empty()
    indicators: list[IndicatorEntry] = empty()
    results: list[ResultEntry] = empty()
    activities: list[ActivityEntry] = empty()

    def column(self, key: str) -> list[Entry]:
        entries: list[Entry] = getattr(self, key)
        return entries

    def walk(self, *columns: str) -> "Iterator[Located]":
        """Every group and item (of the ``columns`` given, else of all four), depth first in source
        order, with its place in the file."""
        found: list[Located] = []
        for key in columns or KINDS:
            _walk_into(found, self, key, KINDS[key], self.column(key), (key,), 0, None)
        return iter(found)

    def count(self) -> int:
        """How many groups and items the objective holds, nested ones included."""
        return sum(_count(self.column(key)) for key in KINDS)

    def items(self, key: str | None = None) -> Iterator[Item]:
        """The items (not group headings), optionally of one column."""
        for located in self.walk():
            if isinstance(located.entry, Item) and (key is None or located.column == key):
                yield located.entry


class Located(NamedTuple):
    """An entry with where it sits: its objective, column, path of keys in the file, nesting.

    A named tuple: every command walks the plan, and on a large plan the walk makes hundreds of
    thousands of these, which a tuple builds several times faster than a frozen dataclass.
    """

    objective: Objective
    column: str
    kind: str
    entry: Item | Group
    loc: tuple[Any, ...]
    depth: int
    parent: str | None

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def text(self) -> str:
        return self.entry.group if isinstance(self.entry, Group) else self.entry.text

    @property
    def number(self) -> str | None:
        """A result's number in the source ("3.1"), else ``None``."""
        return self.entry.number if isinstance(self.entry, Result) else None

    @property
    def serves(self) -> list[str]:
        return self.entry.serves if isinstance(self.entry, Activity) else []

    @property
    def measures(self) -> list[str]:
        return self.entry.measures if isinstance(self.entry, Indicator) else []

    @property
    def indicator(self) -> Indicator | None:
        return self.entry if isinstance(self.entry, Indicator) else None

    @property
    def note(self) -> str | None:
        return self.entry.note if isinstance(self.entry, Item) else None


def _count(entries: list[Any]) -> int:
    return len(entries) + sum(_count(entry.items) for entry in entries if entry.items)


def _walk_into(
    found: list[Located],
    objective: Objective,
    column: str,
    kind: str,
    entries: list[Any],
    loc: tuple[Any, ...],
    depth: int,
    parent: str | None,
) -> None:
    """Append ``entries`` and their nested items to ``found``, depth first (a plain recursive
    function: the plan's nesting is shallow, and this is much faster than a generator per level)."""
    for i, entry in enumerate(entries):
        here = (*loc, i)
        what = "group" if isinstance(entry, Group) else kind
        found.append(Located(objective, column, what, entry, here, depth, parent))
        if entry.items:
            _walk_into(found, objective, column, kind, entry.items, (*here, "items"), depth + 1, entry.id)


class StrategicObjective(Strict):
    number: Annotated[StrictStr, Field(pattern=r"^\d+(\.\d+)*$")]
    title: Text


class StrategicPlan(Strict):
    title: Text
    objectives: list[StrategicObjective] = Field(min_length=1)


class Source(Strict):
    """Where the plan's text comes from."""

    document: Text
    annex: Text | None = None
    meeting: Text
    place: Text
    dates: Text
    paragraphs: Text | None = None


class DocumentInfo(Strict):
    """A UN document's masthead (our own fields, each printed only when set; set only what the source states)."""

    symbol: Text | None = Field(
        default=None,
        description='The document symbol as printed, e.g. "UNEP/CBD/BS/LG-CB/9/1" (an agenda\'s).',
    )
    distribution: Text | None = Field(default=None, description='Distribution, e.g. "General" or "Limited".')
    date: Text | None = Field(default=None, description='The date of issue as printed, e.g. "20 March 2012".')
    original_language: Text | None = Field(default=None, description='The original language, e.g. "English".')


class Timeframe(Strict):
    start: Year
    end: Year


class PlanInfo(Strict):
    """``plan.yaml``: the plan as a whole."""

    title: Text
    subtitle: Text | None = None
    source: Source
    timeframe: Timeframe
    strategic_plan: StrategicPlan
    document: DocumentInfo | None = Field(
        default=None,
        description="The published document's masthead (symbol, distribution, date, original language); "
        "set only what the source states.",
    )
    illustrative: StrictBool = Field(
        default=False,
        description="True for example data sets: every view of their monitoring data then says it is "
        "illustrative, not recorded by the Liaison Group.",
    )


ILLUSTRATIVE_NOTICE = "ILLUSTRATIVE DATA — not recorded by the Liaison Group"
"""The label shown with monitoring data of a plan whose ``illustrative`` flag is set."""


class Observation(Strict):
    """One measured value of an indicator (IATI's "actual") for a period, from ``progress/<year>.yaml``."""

    period: Period
    value: Value
    source: Text | None = Field(default=None, description='Where the value comes from, e.g. "third national reports".')
    note: Text | None = None

    @property
    def start(self) -> int:
        return period_years(self.period)[0]

    @property
    def end(self) -> int:
        """The period's last year: observations sort, and are filed, by it."""
        return period_years(self.period)[1]

    @property
    def sort_key(self) -> tuple[int, int]:
        return self.end, self.start


class ProgressFile(RootModel):  # type: ignore[type-arg]
    """A ``progress/<year>.yaml`` file: indicator ID → its observations for periods ending that year."""

    model_config = ConfigDict(strict=True, frozen=True, defer_build=True)
    root: dict[ItemId, list[Observation]]


class Plan(Strict):
    """A whole plan: ``plan.yaml`` plus its objectives, ordered by number."""

    info: PlanInfo
    objectives: list[Objective]
    progress: dict[str, list[Observation]] = Field(
        default_factory=dict,
        description="Indicator ID → its observations from every progress file, oldest period first.",
    )

    def observations(self, indicator_id: str) -> list[Observation]:
        return self.progress.get(indicator_id, [])

    def objective(self, number: int) -> Objective | None:
        return next((o for o in self.objectives if o.number == number), None)

    def walk(self) -> Iterator[Located]:
        for objective in self.objectives:
            yield from objective.walk()

    def count(self) -> int:
        """How many groups and items the plan holds, nested ones included."""
        return sum(objective.count() for objective in self.objectives)

    def strategic_objective(self, number: str) -> StrategicObjective | None:
        return next((s for s in self.info.strategic_plan.objectives if s.number == number), None)
