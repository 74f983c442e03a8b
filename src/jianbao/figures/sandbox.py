"""The sandboxed Jinja2 environment templates run in: no loader, few filters, bounded arithmetic."""

from __future__ import annotations

import re
from typing import Any

from .limits import MAX_BITS, MAX_OUTPUT, Limit
from .values import FILTERS, FUNCTIONS, SAFE_BUILTIN_FILTERS, UNSAFE_STR_METHODS, FigureError, Figures, join, safe_range

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
            return super().is_safe_attribute(obj, attr, value)

        def call_binop(self, context, operator, left, right):
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

    env = Env(undefined=Undefined, autoescape=False, keep_trailing_newline=True, finalize=_finalize)
    env.filters = {k: env.filters[k] for k in SAFE_BUILTIN_FILTERS}
    env.filters.update(FILTERS)
    env.filters["join"] = join
    env.globals = {"range": safe_range, "dict": dict}
    env.globals.update(FUNCTIONS)  # pct(a, b) as well as a | pct(b)
    env.missing = missing
    env.Why = Why
    _ENV = env
    return env


def _finalize(value: Any) -> Any:
    if value is None:
        raise FigureError("要印出的值是空的（None）")
    if isinstance(value, Figures):
        example = f"{value.path}.{next(iter(value), '…')}"
        raise FigureError(f"{value.path} 是一组数，不是一个数", needle=value.path.split(".")[-1],
                          hint=f"写到具体的名称，如 {{{{ {example} }}}}。")
    return value


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse arithmetic whose result alone would be huge (``10**10**10``, ``'x' * 10**9``)."""
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if operator == "**" and ints and right > 0 and abs(left) > 1:
        if right * abs(left).bit_length() > MAX_BITS:
            raise Limit("乘方的结果太大", needle="**")
    elif operator == "*":
        if ints and left.bit_length() + right.bit_length() > MAX_BITS:
            raise Limit("乘积太大", needle="*")
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_OUTPUT:
                raise Limit(f"重复后的结果超过 {MAX_OUTPUT} 个字符", needle="*")
    elif operator == "%" and isinstance(left, str):
        for m in re.finditer(r"%[-+ #0]*(\d*)(?:\.(\d+))?", left):
            if any(g and int(g) > 100 for g in m.groups()):
                raise Limit(f"格式“{m.group()}”的宽度或位数太大", needle="%")
