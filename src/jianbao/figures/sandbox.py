"""The sandboxed Jinja2 environment templates run in: no loader, few filters, bounded arithmetic."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from .limits import MAX_BITS, MAX_OUTPUT, Limit
from .values import (
    FILTERS,
    FUNCTIONS,
    SAFE_BUILTIN_FILTERS,
    UNSAFE_STR_METHODS,
    FigureError,
    Figures,
    join,
    safe_range,
    undefined_guard,
)

#: Date methods that read the clock (``{{ date.today() }}``): refused, so that a file builds the
#: same bulletin whatever the day.
CLOCK = frozenset({"today", "now", "utcnow", "fromtimestamp", "utcfromtimestamp"})

# --- the environment --------------------------------------------------------------------------------

_ENV = None


def environment():
    """The sandboxed Jinja2 environment templates run in (built once per process)."""
    global _ENV
    if _ENV is not None:
        return _ENV
    from jinja2 import StrictUndefined
    from jinja2.runtime import missing
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Why(str):
        """The message of an undefined value, remembering what was looked up where."""

        obj: Any
        name: Any

    class Undefined(StrictUndefined):
        __slots__ = ()

        @property
        def _undefined_message(self) -> str:
            why = Why(StrictUndefined._undefined_message.fget(self))  # type: ignore[attr-defined]
            why.obj, why.name = self._undefined_obj, self._undefined_name
            why.hint = self._undefined_hint  # type: ignore[attr-defined]
            return why

    class Env(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def getattr(self, obj, attribute):
            if isinstance(obj, Figures):  # a key wins over a Mapping method of the same name
                if attribute in obj:
                    return obj[attribute]
                if attribute not in ("items", "keys", "values", "get"):
                    return self.undefined(obj=obj, name=attribute)
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            if isinstance(obj, Figures):
                if isinstance(argument, str) and argument in obj:
                    return obj[argument]
                return self.undefined(obj=obj, name=argument)
            return super().getitem(obj, argument)

        def is_safe_attribute(self, obj, attr, value):
            if isinstance(obj, str) and attr in UNSAFE_STR_METHODS:
                return False
            if isinstance(obj, (dt.date, dt.time)) and attr in CLOCK:  # the build would depend on the day
                return False
            return super().is_safe_attribute(obj, attr, value)

        def call_binop(self, context, operator, left, right):
            check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

    env = Env(undefined=Undefined, autoescape=False, keep_trailing_newline=True, finalize=_finalize)
    env.filters = {k: env.filters[k] for k in SAFE_BUILTIN_FILTERS}
    env.filters.update(FILTERS)
    env.filters["join"] = join
    from jinja2 import pass_environment

    env.filters["sum"] = pass_environment(_sum)
    env.globals = {"range": safe_range, "dict": dict}
    env.globals.update(FUNCTIONS)  # pct(a, b) as well as a | pct(b)
    env.missing = missing
    env.Why = Why
    _ENV = env
    return env


def _finalize(value: Any) -> Any:
    bounded(value)
    if value is None:
        raise FigureError("要印出的值是空的（None）")
    if isinstance(value, Figures):
        example = f"{value.path}.{next(iter(value), '…')}"
        raise FigureError(f"{value.path} 是一组数，不是一个数", needle=value.path.split(".")[-1],
                          hint=f"写到具体的名称，如 {{{{ {example} }}}}。")
    return value


def check_binop(operator: str, left: Any, right: Any, most: int = MAX_OUTPUT) -> None:
    """Refuse arithmetic whose result alone would be huge (``10**10**10``, ``'x' * 10**9``): raise
    Limit.  *most*: the longest string or list ``*`` may make (a sentence's output by default; the
    page templates of the web edition allow more)."""
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if operator == "**" and ints and right > 0 and abs(left) > 1:
        if right * abs(left).bit_length() > MAX_BITS:
            raise Limit("乘方的结果太大", needle="**")
    elif operator == "*":
        if ints and left.bit_length() + right.bit_length() > MAX_BITS:
            raise Limit("乘积太大", needle="*")
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and n > 0 \
                    and weight(seq, most // n + 1) * n > most:
                raise Limit(f"重复后的结果超过 {most} 个字符（或项）", needle="*")
    elif operator == "%" and isinstance(left, str):
        _check_format(left, right)


_SPEC = re.compile(r"%(\([^)]*\))?[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?(.?)")
_MAX_WIDTH = 100


def _check_format(fmt: str, args: Any) -> None:
    """``'%*d' % (6000000000, 1)``: widths and precisions, written or taken from *args* (``*``),
    are at most 100 before Python allocates the result."""
    values = list(args) if isinstance(args, tuple) else [args]
    at = 0
    for m in _SPEC.finditer(fmt):
        key, width, precision, conv = m.groups()
        if conv == "%" and not width and precision is None:
            continue
        for part in (width, precision):
            if part == "*":
                n = values[at] if at < len(values) else 0
                at += 1
                if isinstance(n, int) and abs(n) > _MAX_WIDTH:
                    raise Limit(f"格式“{m.group()}”的宽度或位数（{n}）太大，最多 {_MAX_WIDTH}", needle="%")
            elif part and int(part) > _MAX_WIDTH:
                raise Limit(f"格式“{m.group()}”的宽度或位数太大，最多 {_MAX_WIDTH}", needle="%")
        if key is None:
            at += 1
        if at <= len(values) and key is None and conv in "sra" and at:
            bounded(values[at - 1], "%")


def weight(value: Any, limit: int) -> int:
    """Characters or items *value* stands for, counted through nested lists, tuples and mappings
    (a list holding one list 20 000 times weighs 20 000 times as much); ``limit + 1`` as soon as
    it is past *limit*, so the count never costs more than *limit* steps."""
    total = 0
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, str):
            total += max(1, len(v))
        elif isinstance(v, (list, tuple)) and v:
            todo.extend(v)
        elif isinstance(v, Mapping) and v and not isinstance(v, Figures):
            todo.extend(v.keys())
            todo.extend(v.values())
        else:
            total += 1
        if total > limit or len(todo) > limit:
            return limit + 1
    return total


def bounded(value: Any, needle: str | None = None) -> Any:
    """*value*, when printing it cannot produce more than MAX_OUTPUT characters."""
    if isinstance(value, (list, tuple, dict)) and weight(value, MAX_OUTPUT) > MAX_OUTPUT:
        raise Limit(f"要印出的内容太长（超过 {MAX_OUTPUT} 项）", needle=needle)
    return value


def _sum(environment, values: Any, attribute: Any = None, start: Any = 0) -> Any:
    """Jinja2's ``sum``, refusing to add up sequences into one longer than MAX_OUTPUT items
    (``([[0]*20000]*600) | sum(start=[])`` copies quadratically inside one C call)."""
    from jinja2.filters import make_attrgetter

    undefined_guard(values)
    items = list(values)
    if attribute is not None:
        get = make_attrgetter(environment, attribute)
        items = [get(v) for v in items]
    if isinstance(start, (str, list, tuple)) or any(isinstance(v, (str, list, tuple)) for v in items):
        size = weight(start, MAX_OUTPUT) + sum(weight(v, MAX_OUTPUT) for v in items)
        if size > MAX_OUTPUT:
            raise Limit(f"sum 的结果超过 {MAX_OUTPUT} 项", needle="sum")
    return sum(items, start)
