"""Bounded rendering: a template from a pull request may not run for ever or fill the memory.

Jinja's sandbox stops a template reaching Python internals, and caps one ``range()`` at 100,000
items, but nested loops still run for ever and ``"x" * 1500000000`` still takes 6 GB.  The
environment here adds two limits to every render:

- **Time**: a deadline (``--timeout``, 60 s by default) checked at the start of every loop
  iteration, every call (macros, methods, functions), every filter, every operator that builds
  something and every piece of output.  Between two checks a template can only do work bounded by
  its own size and the size cap below, so the deadline holds without threads or signals, on every
  system.
- **Size**: whatever a template builds — a text, a list, a dict, a number — is checked *before* it
  is built where its size can be told in advance (``*``, ``+``, ``%``, ``**``, ``~``, literals,
  ``center``/``indent``/``replace``/``format``/``join``/``batch``/``slice``/``sum``/``tojson``, the
  width arguments of ``str.ljust`` & co.), and after it is built otherwise; the output as a whole
  is counted as it is produced.  Containers are counted with repetition (``[a, a]`` holds ``a``
  twice), so a template cannot build a structure whose text would be exponentially large.

A limit reached raises :class:`LimitError`, whose text says which limit; the traceback points at
the template line, which :func:`lgcb.render.template_error` puts in front of it.
"""

from __future__ import annotations

import io
import math
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from types import BuiltinMethodType, GeneratorType, MethodType
from typing import Any, NoReturn

from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import TemplateRuntimeError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from lgcb.render import DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT

MAX_DIGITS = 10_000
"""Digits in a number a template computes; a report never needs more, and arithmetic on larger
numbers is what makes ``9 ** 9 ** 9`` take hours."""

_MAX_BITS = int(MAX_DIGITS * math.log2(10)) + 1
_MEMO_LIMIT = 100_000
"""Containers whose size is remembered during a render; beyond that the memory is started afresh."""

Args = tuple[Any, ...]
Kwargs = dict[str, Any]

_CONTAINERS = (list, tuple, dict, set, frozenset)
_CONTAINER_TYPES = frozenset(_CONTAINERS)
_TEXTS = (str, bytes, bytearray)
_METHODS = frozenset({BuiltinMethodType, MethodType})
_DICT_ATTRIBUTES = frozenset(dir(dict))
_CHUNK = 1 << 16
"""Characters of output encoded at a time."""
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")
_DIGITS = re.compile(r"\d+")
_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill"})
_STRINGIFYING_FILTERS = frozenset(
    {
        "capitalize",
        "center",
        "e",
        "escape",
        "forceescape",
        "format",
        "indent",
        "lower",
        "pprint",
        "replace",
        "safe",
        "string",
        "striptags",
        "title",
        "tojson",
        "trim",
        "truncate",
        "upper",
        "urlencode",
        "urlize",
        "wordcount",
        "wordwrap",
        "xmlattr",
    }
)
"""Filters that turn their input into text: a container given to them is measured first."""


class LimitError(TemplateRuntimeError):
    """A render stopped at a limit; the text names the limit (the caller adds the template line)."""


def _size_text(n: int) -> str:
    return f"{n // 1048576} MiB" if n >= 1048576 and n % 1048576 == 0 else f"{n:,} characters"


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with a deadline and a size cap on everything a template builds.

    Immutable: a template cannot grow a list in place (``.append``/``.extend``), so every container
    it holds was built by an expression this class checks.  The clock starts when the environment
    is made: make one per render.
    """

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(
        self,
        *args: Any,
        timeout: float = DEFAULT_TIMEOUT,
        max_size: int = DEFAULT_MAX_SIZE,
        max_output: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.timeout = timeout
        self.max_size = max_size
        self.max_output = max(max_output or 0, max_size)
        """Characters in the whole output: a large plan's report is longer than any one text."""
        self.max_items = max(max_size // 8, 1)
        """Elements in a container (counted with repetition): 8 bytes of memory each, at least."""
        self.deadline = time.monotonic() + timeout
        self._memo: dict[int, tuple[Any, int, int]] = {}
        self.finalize = self._finalize
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters["sum"] = self._sum
        self.globals["lipsum"] = self._lipsum(self.globals["lipsum"])  # type: ignore[arg-type]

    # --- limits ------------------------------------------------------------------------------

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise self.too_slow()

    def too_slow(self) -> LimitError:
        return LimitError(f"the template ran longer than {self.timeout:g} s (--timeout)")

    def too_long(self, limit: int | None = None) -> LimitError:
        return LimitError(f"the template builds a text of more than {_size_text(limit or self.max_size)}")

    def too_many(self) -> LimitError:
        return LimitError(f"the template builds a list of more than {self.max_items:,} items")

    def too_big(self) -> LimitError:
        return LimitError(f"the template computes a number of more than {MAX_DIGITS:,} digits")

    def check_text(self, n: int) -> None:
        if n > self.max_size:
            raise self.too_long()

    def measure(self, value: Any) -> tuple[int, int]:
        """(elements, characters) of ``value`` and everything in it, counted with repetition.

        Each container's totals are remembered for the render (templates cannot change a
        container), so a structure that shares parts is measured in time linear in its distinct
        parts, however large it would be written out.
        """
        if not isinstance(value, _CONTAINERS):
            return 0, _leaf_chars(value)
        memo = self._memo
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        known = memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1], known[2]
        open_: set[int] = set()
        stack: list[tuple[Any, bool]] = [(value, False)]
        while stack:
            node, finished = stack.pop()
            key = id(node)
            if finished:
                items = chars = 0
                for child in _children(node):
                    items += 1
                    if isinstance(child, _CONTAINERS):
                        entry = memo.get(id(child))
                        if entry is not None and entry[0] is child:
                            items += entry[1]
                            chars += entry[2] + 2
                        else:  # only a container that contains itself (not buildable here)
                            chars += 8
                    else:
                        chars += _leaf_chars(child) + 2
                if items > self.max_items:
                    raise self.too_many()
                memo[key] = (node, items, chars + 2)
                open_.discard(key)
                continue
            entry = memo.get(key)
            if (entry is not None and entry[0] is node) or key in open_:
                continue
            open_.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node) if isinstance(c, _CONTAINERS))
        entry = memo[id(value)]
        return entry[1], entry[2]

    def checked(self, value: Any) -> Any:
        """``value`` if it is within the caps; a lazy sequence is checked item by item as it is read."""
        if isinstance(value, _TEXTS):
            if len(value) > self.max_size:
                raise self.too_long()
        elif isinstance(value, _CONTAINERS):
            self.measure(value)
        elif isinstance(value, int) and value.bit_length() > _MAX_BITS:
            raise self.too_big()
        elif isinstance(value, GeneratorType):
            return self._ticking(value)
        return value

    def _ticking(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.tick()
            yield self.checked(item)

    def text_size(self, value: Any) -> int:
        items, chars = self.measure(value)
        return items * 2 + chars

    def _finalize(self, value: Any) -> Any:
        """``{{ value }}``: a container is measured before Python writes it out.

        Exact types, for speed: every container a template builds is one of these, and the
        context's data (which may use subclasses) is bounded by the plan files' size cap.
        """
        kind = type(value)
        if kind in _CONTAINER_TYPES:
            self.check_text(self.text_size(value))
        elif kind is str and self.autoescape and len(value) * 6 > self.max_size:
            self.check_text(_escaped_size(value))  # HTML escaping can make a text up to 6 times longer
        return value

    def concat(self, pieces: Iterable[str]) -> str:
        """Join output (of the whole template or of a block), counting it against the caps as it comes."""
        if type(pieces) is list:  # a block's buffer: its pieces were made (and timed) already
            if sum(map(len, pieces)) > self.max_size:
                raise self.too_long()
            return "".join(pieces)
        return "".join(self.counted(pieces))

    def encode(self, pieces: Iterable[str]) -> bytes:
        """A whole template's output (``Template.generate``) as UTF-8, counted as :meth:`concat`
        counts it, encoded piece by piece: a large report is never held as text and bytes at once."""
        out = io.BytesIO()
        for text in self.chunked(pieces):
            out.write(text.encode("utf-8"))
        return out.getvalue()

    def counted(self, pieces: Iterable[str]) -> Iterator[str]:
        """A whole output's pieces, counted against the output cap and the deadline as they come."""
        total = 0
        for count, piece in enumerate(pieces):
            total += len(piece)
            if total > self.max_output or (not count & 255 and time.monotonic() > self.deadline):
                self._stop(pieces, total)
            yield piece

    def chunked(self, pieces: Iterable[str], size: int = _CHUNK) -> Iterator[str]:
        """A whole output's pieces joined into texts of at least ``size`` characters (the last may be
        shorter), counted as :meth:`counted` counts them: a large report's hundreds of thousands of
        pieces go through one loop, not a generator each."""
        total = run = 0
        held: list[str] = []
        for count, piece in enumerate(pieces):
            length = len(piece)
            total += length
            if total > self.max_output or (not count & 255 and time.monotonic() > self.deadline):
                self._stop(pieces, total)
            held.append(piece)
            run += length
            if run >= size:
                yield "".join(held)
                held.clear()
                run = 0
        if held:
            yield "".join(held)

    def _stop(self, pieces: Iterable[str], total: int) -> NoReturn:
        """Raise the output cap's or the deadline's error, at the template line that produced the
        last piece when ``pieces`` is the template's generator."""
        error = self.too_long(self.max_output) if total > self.max_output else self.too_slow()
        if isinstance(pieces, GeneratorType):
            pieces.throw(error)
        raise error

    def checked_join(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """``a ~ b``: the parts are measured before they are joined."""
        total = 0
        for part in parts:
            total += len(part) if isinstance(part, str) else self.text_size(part)
        self.check_text(total)
        return join(parts)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``entry.text`` on a context dict, without the AttributeError the sandbox raises and
        catches first: the same result (a dict's own attributes, such as ``items``, still win over
        its keys), at a fraction of the cost, for the hundreds of thousands of lookups of a large plan."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def built(self, value: Any) -> Any:
        """A list, tuple or dict literal: ``[a, a]`` counts ``a`` twice."""
        self.tick()
        self.measure(value)
        return value

    # --- operators and calls -----------------------------------------------------------------

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "*":
            self._check_repeat(left, right)
            self._check_repeat(right, left)
            if _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > _MAX_BITS:
                raise self.too_big()
        elif operator == "+":
            if isinstance(left, str | bytes) and isinstance(right, str | bytes):
                self.check_text(len(left) + len(right))
            elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
                if self.measure(left)[0] + self.measure(right)[0] > self.max_items:
                    raise self.too_many()
        elif operator == "**":
            if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
                if (left.bit_length() - 1) * right > _MAX_BITS:
                    raise self.too_big()
        elif operator == "%" and isinstance(left, str):
            self.check_text(self._percent_size(left, right))
        return self.checked(super().call_binop(context, operator, left, right))

    def _check_repeat(self, sequence: Any, times: Any) -> None:
        if not _is_int(times) or times <= 0:
            return
        if isinstance(sequence, str | bytes | bytearray):
            self.check_text(len(sequence) * times)
        elif isinstance(sequence, list | tuple) and (self.measure(sequence)[0] or 1) * times > self.max_items:
            raise self.too_many()

    def _percent_size(self, fmt: str, args: Any) -> int:
        """At least as many characters as ``fmt % args`` will have."""
        values = tuple(args.values()) if isinstance(args, dict) else args if isinstance(args, tuple) else (args,)
        ints = [v for v in values if _is_int(v)]
        size = len(fmt) + sum(self.text_size(v) for v in values)
        for match in _PERCENT_FIELD.finditer(fmt):
            for number in match.groups():
                if number == "*":
                    size += max(ints, default=0)
                elif number:
                    size += int(number)
        return size

    def _format_size(self, fmt: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
        """At least as many characters as ``fmt.format(*args, **kwargs)`` will have."""
        values = (*args, *kwargs.values())
        size = len(fmt) + sum(self.text_size(v) for v in values)
        ints = [v for v in values if _is_int(v)]
        try:
            fields = list(string.Formatter().parse(fmt))
        except ValueError:
            return size  # str.format reports the mistake itself
        for _, _, spec, _ in fields:
            if spec and "{" in spec:
                size += sum(max(i, 0) for i in ints)
            elif spec:
                size += sum(int(d) for d in _DIGITS.findall(spec))
        return size

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt: str = value.__self__
        is_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_map and len(args) == 1 and isinstance(args[0], dict):
                self.check_text(self._format_size(fmt, (), args[0]))
            else:
                self.check_text(self._format_size(fmt, args, kwargs))
            return wrapped(*args, **kwargs)

        return bounded

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every call from a template: on the clock, with the size of a text method's result checked first."""
        if time.monotonic() > __self.deadline:
            raise __self.too_slow()
        if type(__obj) in _METHODS:
            owner = __obj.__self__
            if isinstance(owner, str | bytes):
                args = __self._check_text_method(owner, __obj.__name__, args, kwargs)
            elif _is_int(owner) and __obj.__name__ == "to_bytes":
                length = args[0] if args else kwargs.get("length", 1)
                if _is_int(length):
                    __self.check_text(length)
        return __self.checked(super().call(__context, __obj, *args, **kwargs))

    def _check_text_method(self, text: str | bytes, name: str, args: Args, kwargs: Kwargs) -> Args:
        if name in _WIDTH_METHODS:
            width = args[0] if args else kwargs.get("width", 0)
            if _is_int(width):
                self.check_text(width)
        elif name == "expandtabs":
            size = args[0] if args else kwargs.get("tabsize", 8)
            if _is_int(size):
                tabs = text.count("\t") if isinstance(text, str) else text.count(b"\t")
                self.check_text(len(text) + tabs * size)
        elif name == "replace" and len(args) >= 2:
            self.check_text(_replace_size(text, args[0], args[1], args[2] if len(args) > 2 else -1))
        elif name == "join" and args:
            parts = list(self._ticking(args[0]))
            size = len(text) * max(len(parts) - 1, 0)
            self.check_text(size + sum(len(p) if isinstance(p, str | bytes) else self.text_size(p) for p in parts))
            return (parts, *args[1:])
        elif name == "translate" and args and isinstance(args[0], dict):
            longest = max((len(v) for v in args[0].values() if isinstance(v, str | bytes)), default=1)
            self.check_text(len(text) * max(longest, 1))
        return args

    # --- filters and globals -----------------------------------------------------------------

    def _bounded_filter(self, name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        offset = 1 if getattr(f, "jinja_pass_arg", None) is not None else 0
        check = _FILTER_CHECKS.get(name)
        stringifies = name in _STRINGIFYING_FILTERS

        @wraps(f)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            if check is not None:
                args = check(self, offset, args, kwargs)
            elif stringifies and len(args) > offset and isinstance(args[offset], _CONTAINERS):
                self.check_text(self.text_size(args[offset]))
            return self.checked(f(*args, **kwargs))

        return bounded

    @pass_context
    def _sum(self, context: Any, iterable: Iterable[Any], attribute: Any = None, start: Any = 0) -> Any:
        """``sum``, adding one item at a time through the checked ``+`` (lists added up grow)."""
        total = start
        getter = None
        if attribute is not None:
            from jinja2.filters import make_attrgetter

            getter = make_attrgetter(self, attribute)
        for item in iterable:
            total = self.call_binop(context, "+", total, getter(item) if getter else item)
        return total

    def _lipsum(self, lipsum: Callable[..., str]) -> Callable[..., str]:
        @wraps(lipsum)
        def bounded(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
            if _is_int(n) and _is_int(max):
                self.check_text(n * max * 16)
            return lipsum(n, html, min, max)

        return bounded


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _children(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    items: Iterable[Any] = value
    return items


def _leaf_chars(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bytes | bytearray):
        return 4 * len(value)
    if _is_int(value):
        return 8 + int(value.bit_length()) // 3
    return 8


def _escaped_size(text: str) -> int:
    """Characters of ``text`` once HTML-escaped (``&`` → ``&amp;``, ``"`` → ``&#34;``…)."""
    return (
        len(text) + 4 * (text.count("&") + text.count('"') + text.count("'")) + 3 * (text.count("<") + text.count(">"))
    )


def _replace_size(text: Any, old: Any, new: Any, count: Any = -1) -> int:
    if not isinstance(old, str | bytes) or not isinstance(new, str | bytes) or type(old) is not type(text):
        return len(text)
    needle: Any = old  # str or bytes, as text is
    occurrences: int = text.count(needle) if needle else len(text) + 1
    if _is_int(count) and count >= 0:
        occurrences = min(occurrences, count)
    return len(text) + occurrences * max(len(new) - len(old), 0)


# --- per-filter checks: (env, offset of the value, args, kwargs) -> args ---------------------


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def _check_center(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
    width = _arg(args, kwargs, at + 1, "width", 80)
    if _is_int(width):
        env.check_text(width)
    return args


def _check_indent(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
    text = str(args[at]) if not isinstance(args[at], _CONTAINERS) else ""
    if isinstance(args[at], _CONTAINERS):
        env.check_text(env.text_size(args[at]))
    width = _arg(args, kwargs, at + 1, "width", 4)
    step = width if _is_int(width) else len(str(width))
    env.check_text(len(text) + (text.count("\n") + 1) * max(step, 0))
    return args


def _check_replace(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
    if len(args) > at + 2 and isinstance(args[at], str):
        env.check_text(_replace_size(args[at], args[at + 1], args[at + 2], _arg(args, kwargs, at + 3, "count", -1)))
    return args


def _check_format(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
    if isinstance(args[at], str):
        env.check_text(env._percent_size(args[at], kwargs or tuple(args[at + 1 :])))
    return args


def _check_join(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
    if len(args) <= at:
        return args
    parts = list(env._ticking(args[at])) if not isinstance(args[at], str) else args[at]
    separator = _arg(args, kwargs, at + 1, "d", "")
    size = len(str(separator)) * max(len(parts) - 1, 0)
    env.check_text(size + sum(len(p) if isinstance(p, str) else env.text_size(p) for p in parts))
    return (*args[:at], parts, *args[at + 1 :])


def _check_count_argument(name: str, default: int) -> Callable[..., Args]:
    def check(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
        count = _arg(args, kwargs, at + 1, name, default)
        if _is_int(count) and count > env.max_items:
            raise env.too_many()
        return args

    return check


def _check_tojson(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
    indent = _arg(args, kwargs, at + 1, "indent", None)
    step = indent if _is_int(indent) else len(indent) if isinstance(indent, str) else 0
    items, chars = env.measure(args[at])
    env.check_text(chars + items * (2 + max(step, 0)))
    return args


def _check_escape(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
    value = args[at]
    if isinstance(value, _CONTAINERS):
        env.check_text(env.text_size(value) * 6)
    elif isinstance(value, str) and len(value) * 6 > env.max_size:
        env.check_text(_escaped_size(value))
    return args


def _check_wordwrap(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
    text = args[at] if isinstance(args[at], str) else ""
    width = _arg(args, kwargs, at + 1, "width", 79)
    wrap = _arg(args, kwargs, at + 3, "wrapstring", None)
    lines = len(text) // max(width if _is_int(width) else 1, 1) + text.count("\n") + text.count(" ") + 1
    env.check_text(len(text) + lines * len(wrap if isinstance(wrap, str) else "\n"))
    return args


def _check_urlize(env: BoundedEnvironment, at: int, args: Args, kwargs: Kwargs) -> Args:
    text = args[at] if isinstance(args[at], str) else ""
    extra = sum(len(v) for v in (kwargs.get("target"), kwargs.get("rel")) if isinstance(v, str))
    extra += sum(len(v) for v in args[at + 1 :] if isinstance(v, str))
    env.check_text(len(text) + (len(text.split()) + 1) * (extra + 64))
    return args


_FILTER_CHECKS: dict[str, Callable[[BoundedEnvironment, int, Args, Kwargs], Args]] = {
    "center": _check_center,
    "indent": _check_indent,
    "replace": _check_replace,
    "format": _check_format,
    "join": _check_join,
    "batch": _check_count_argument("linecount", 1),
    "slice": _check_count_argument("slices", 1),
    "tojson": _check_tojson,
    "wordwrap": _check_wordwrap,
    "e": _check_escape,
    "escape": _check_escape,
    "forceescape": _check_escape,
    "urlize": _check_urlize,
}


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator: loops on the clock, ``~`` and container literals through the checks."""

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"environment.checked_join({func_name}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        """Every loop body starts with a deadline check (see :meth:`blockvisit`)."""
        self.__dict__.setdefault("_loop_bodies", set()).add(id(node.body))
        super().visit_For(node, frame)

    def blockvisit(self, nodes: Iterable[nodes.Node], frame: Frame) -> None:
        if id(nodes) in self.__dict__.get("_loop_bodies", ()):
            self.writeline("environment.tick()")
        super().blockvisit(nodes, frame)

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self.write("environment.built(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self.write("environment.built(")
        super().visit_Dict(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # an assignment target: {% for a, b in … %}
            super().visit_Tuple(node, frame)
            return
        self.write("environment.built(")
        super().visit_Tuple(node, frame)
        self.write(")")


BoundedEnvironment.code_generator_class = _CodeGenerator
