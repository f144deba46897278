"""Smart routing conditions (R-CC-9): data, read by one small interpreter.

Zendesk-trigger style: every condition of ``all`` (the mandatory ones) must hold and, when
``any`` is not empty, one of ``any``; an any-only rule is valid, a rule without conditions is
not. ``evaluate`` explains a verdict, ``compile_conditions`` is its fast equivalent for routing.
Text compares casefolded and stripped, rule values and facts alike (a blank fact is missing);
times and weekdays are local to the rule's time zone, a naive ``Facts.at`` being UTC.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

MAX_CONDITIONS = 50
MAX_VALUES = 100
MAX_VALUE_LENGTH = 200
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_HH_MM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class Field(StrEnum):
    """What a condition looks at (``CUSTOMER_FIELD``: the customer field named by its key)."""

    CHANNEL = "CHANNEL"
    MENU = "MENU"
    LANGUAGE = "LANGUAGE"
    SOURCE_PAGE = "SOURCE_PAGE"
    VIP = "VIP"
    TAGS = "TAGS"
    CUSTOMER_FIELD = "CUSTOMER_FIELD"
    TIME_OF_DAY = "TIME_OF_DAY"
    WEEKDAY = "WEEKDAY"


class Operator(StrEnum):
    """How a condition compares the fact with its values."""

    EQUALS = "EQUALS"
    NOT_EQUALS = "NOT_EQUALS"
    IN = "IN"
    NOT_IN = "NOT_IN"
    CONTAINS = "CONTAINS"
    NOT_CONTAINS = "NOT_CONTAINS"
    STARTS_WITH = "STARTS_WITH"
    PRESENT = "PRESENT"
    ABSENT = "ABSENT"
    BETWEEN = "BETWEEN"


@dataclass(frozen=True)
class Facts:
    """What is known about the session being routed; ``at`` is the (aware) time of decision."""

    channel: str | None = None
    menu: str | None = None
    language: str | None = None
    source_page: str | None = None
    vip: bool = False
    tags: frozenset[str] = frozenset()
    customer: Mapping[str, str] = field(default_factory=dict)
    at: datetime | None = None


@dataclass(frozen=True)
class Condition:
    """One test of one fact; ``key`` names the customer field, for ``CUSTOMER_FIELD`` only."""

    field: Field
    operator: Operator
    values: tuple[str, ...] = ()
    key: str | None = None


@dataclass(frozen=True)
class Conditions:
    """A rule's conditions: every one of ``all`` and, if there are any, one of ``any``."""

    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """Whether a rule matched, with one line per condition and per list saying why."""

    matched: bool
    reasons: tuple[str, ...]


class ConditionError(ValueError):
    """A condition that cannot be saved; ``field`` is the input path (conditions.any[1].values)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


_TEXT_ATTRIBUTES = {
    f: f.lower() for f in (Field.CHANNEL, Field.MENU, Field.LANGUAGE, Field.SOURCE_PAGE)
}
_TEXT_OPERATORS = frozenset(Operator) - {Operator.BETWEEN}
_OPERATORS: dict[Field, frozenset[Operator]] = {
    **dict.fromkeys([*_TEXT_ATTRIBUTES, Field.CUSTOMER_FIELD], _TEXT_OPERATORS),
    Field.VIP: frozenset({Operator.EQUALS}),
    Field.TAGS: _TEXT_OPERATORS - {Operator.EQUALS, Operator.NOT_EQUALS, Operator.STARTS_WITH},
    Field.TIME_OF_DAY: frozenset({Operator.BETWEEN}),
    Field.WEEKDAY: frozenset({Operator.IN, Operator.NOT_IN}),
}
# How many values each operator takes: (at least, at most).
_ARITY: dict[Operator, tuple[int, int]] = {
    **dict.fromkeys([Operator.IN, Operator.NOT_IN], (1, MAX_VALUES)),
    **dict.fromkeys([Operator.PRESENT, Operator.ABSENT], (0, 0)),
    Operator.BETWEEN: (2, 2),
}
_E = TypeVar("_E", Field, Operator)


def validate(conditions: Conditions) -> Conditions:
    """Return conditions normalised (values and key stripped, weekdays upper-cased, VIP values
    lower-cased, enum members); raise ConditionError naming the input ("conditions.all[0].values",
    "conditions.any[2].key", "conditions") for: no condition, more than MAX_CONDITIONS; an unknown
    field or operator or one the field does not take; the wrong number of values; a blank value
    or one over MAX_VALUE_LENGTH; a key missing for CUSTOMER_FIELD or given for another field;
    a bad HH:MM or an empty window; a bad weekday; a VIP value other than true/false."""
    total = len(conditions.all) + len(conditions.any)
    if not 0 < total <= MAX_CONDITIONS:
        message = f"A rule takes 1 to {MAX_CONDITIONS} conditions (all and any), not {total}."
        raise ConditionError(message, "conditions")
    return Conditions(
        all=tuple(_checked(c, f"conditions.all[{i}]") for i, c in enumerate(conditions.all)),
        any=tuple(_checked(c, f"conditions.any[{i}]") for i, c in enumerate(conditions.any)),
    )


def _enum(kind: type[_E], raw: Any, where: str) -> _E:
    if isinstance(raw, str) and raw in kind.__members__:
        return kind(raw)
    allowed = ", ".join(kind.__members__)
    raise ConditionError(f"Unknown {kind.__name__.lower()} {raw!r}: use one of {allowed}.", where)


def _checked(c: Condition, path: str) -> Condition:
    fld = _enum(Field, c.field, f"{path}.field")
    op = _enum(Operator, c.operator, f"{path}.operator")
    if op not in _OPERATORS[fld]:
        allowed = ", ".join(o for o in Operator if o in _OPERATORS[fld])
        raise ConditionError(f"{fld} does not take {op}: use one of {allowed}.", f"{path}.operator")
    return Condition(
        fld, op, _checked_values(fld, op, c.values, path), _checked_key(fld, c.key, path)
    )


def _checked_key(fld: Field, key: Any, path: str) -> str | None:
    where = f"{path}.key"
    if fld is not Field.CUSTOMER_FIELD:
        if key is not None:
            raise ConditionError(f"Only {Field.CUSTOMER_FIELD} conditions take a key.", where)
        return None
    key = key.strip() if isinstance(key, str) else ""
    if not 0 < len(key) <= MAX_VALUE_LENGTH:
        raise ConditionError(
            f"Name the customer field (1 to {MAX_VALUE_LENGTH} characters).", where
        )
    return key


def _checked_values(fld: Field, op: Operator, raw: Any, path: str) -> tuple[str, ...]:
    where = f"{path}.values"
    if not isinstance(raw, tuple | list) or not all(isinstance(v, str) for v in raw):
        raise ConditionError("Values are a list of texts.", where)
    low, high = _ARITY.get(op, (1, 1))
    if not low <= len(raw) <= high:
        wanted = f"{low} to {high} values" if low < high else f"{low} value{'s' * (low != 1)}"
        raise ConditionError(f"{op} takes {wanted}, not {len(raw)}.", where)
    values = tuple(v.strip() for v in raw)
    if bad := [v for v in values if not 0 < len(v) <= MAX_VALUE_LENGTH]:
        message = (
            f"A value is 1 to {MAX_VALUE_LENGTH} characters (blanks stripped), not {len(bad[0])}."
        )
        raise ConditionError(message, where)
    if fld is Field.VIP:
        values = tuple(v.lower() for v in values)
        if values[0] not in ("true", "false"):
            raise ConditionError(f"{Field.VIP} is true or false, not {raw[0]!r}.", where)
    elif fld is Field.WEEKDAY:
        values = tuple(v.upper() for v in values)
        if bad := [v for v in values if v not in WEEKDAYS]:
            raise ConditionError(f"Weekdays are {' '.join(WEEKDAYS)}, not {bad[0]!r}.", where)
    elif fld is Field.TIME_OF_DAY:
        if bad := [v for v in values if not _HH_MM.fullmatch(v)]:
            raise ConditionError(f"Times are HH:MM (00:00 to 23:59), not {bad[0]!r}.", where)
        if values[0] == values[1]:
            raise ConditionError("A time window cannot start and end at the same time.", where)
    return values


def _norm(raw: str | None) -> str | None:
    return None if raw is None else (raw.strip().casefold() or None)


def _minutes(hh_mm: str) -> int:
    return int(hh_mm[:2]) * 60 + int(hh_mm[3:])


def _in_window(start: int, end: int, local: datetime) -> bool:
    now = local.hour * 60 + local.minute
    return start <= now < end if start < end else (now >= start or now < end)


def _local(at: datetime, tz: ZoneInfo) -> datetime:
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone(tz)


def _shown(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(c: Condition) -> str:
    subject = f"customer field {c.key}" if c.field is Field.CUSTOMER_FIELD else c.field.lower()
    values = " and ".join(c.values) if c.operator is Operator.BETWEEN else ", ".join(c.values)
    parts = (subject.replace("_", " "), c.operator.lower().replace("_", " "), values)
    return " ".join(part for part in parts if part)


def _check(c: Condition, facts: Facts, tz: ZoneInfo) -> tuple[bool, str]:
    """Whether a (validated) condition holds for the facts, and the fact as a reason shows it."""
    op = c.operator
    if c.field is Field.VIP:
        return bool(facts.vip) == (c.values[0] == "true"), "VIP" if facts.vip else "not VIP"
    if c.field is Field.TAGS:
        tags = {t for t in map(_norm, facts.tags) if t is not None}
        shown = _shown(", ".join(sorted(facts.tags))) if tags else "no tags"
        if op in (Operator.PRESENT, Operator.ABSENT):
            return bool(tags) == (op is Operator.PRESENT), shown
        hit = bool(tags & {v.casefold() for v in c.values})
        return hit == (op in (Operator.CONTAINS, Operator.IN)), shown
    if c.field in (Field.TIME_OF_DAY, Field.WEEKDAY):
        if facts.at is None:
            return False, "time unknown"
        local = _local(facts.at, tz)
        if c.field is Field.WEEKDAY:
            day = WEEKDAYS[local.weekday()]
            return (day in c.values) == (op is Operator.IN), f"{day} in {tz}"
        held = _in_window(_minutes(c.values[0]), _minutes(c.values[1]), local)
        return held, f"{local:%H:%M} in {tz}"
    if c.field is Field.CUSTOMER_FIELD:
        raw = facts.customer.get(c.key or "")
    else:
        raw = getattr(facts, _TEXT_ATTRIBUTES[c.field])
    value = _norm(raw)
    shown = "missing" if raw is None or value is None else _shown(raw.strip())
    wanted = [v.casefold() for v in c.values]
    match op:
        case Operator.PRESENT | Operator.ABSENT:
            held = (value is not None) == (op is Operator.PRESENT)
        case Operator.IN | Operator.NOT_IN:
            held = (value in wanted) == (op is Operator.IN)
        case Operator.EQUALS | Operator.NOT_EQUALS:
            held = (value == wanted[0]) == (op is Operator.EQUALS)
        case Operator.CONTAINS | Operator.NOT_CONTAINS:
            held = (value is not None and wanted[0] in value) == (op is Operator.CONTAINS)
        case _:  # STARTS_WITH
            held = value is not None and value.startswith(wanted[0])
    return held, shown


def evaluate(conditions: Conditions, facts: Facts, tz: ZoneInfo) -> Verdict:
    """Interpret (validated) conditions against one session's facts in the rule's time zone.
    Every condition is evaluated, for one reason each ("channel equals SDK: yes (SDK)"), then
    one per non-empty list ("all: every condition held", "any: none held")."""
    checked = validate(conditions)
    reasons: list[str] = []
    outcomes: dict[str, list[bool]] = {"all": [], "any": []}
    for name, group in (("all", checked.all), ("any", checked.any)):
        for c in group:
            held, shown = _check(c, facts, tz)
            outcomes[name].append(held)
            reasons.append(f"{_describe(c)}: {'yes' if held else 'no'} ({shown})")
    mandatory, optional = outcomes["all"], outcomes["any"]
    if failed := mandatory.count(False):
        reasons.append(f"all: {failed} of {len(mandatory)} did not hold")
    elif mandatory:
        reasons.append("all: every condition held")
    if optional:
        n = optional.count(True)
        reasons.append(f"any: {n} of {len(optional)} held" if n else "any: none held")
    matched = all(mandatory) and (not optional or any(optional))
    return Verdict(matched=matched, reasons=tuple(reasons))


Test = Callable[[Facts], bool]


def compile_conditions(conditions: Conditions, tz: ZoneInfo) -> Test:
    """A fast predicate equivalent to ``evaluate(conditions, facts, tz).matched``, for routing
    many sessions against many rules: each (validated) condition becomes a closure, once."""
    checked = validate(conditions)
    mandatory = tuple(_compiled(c, tz) for c in checked.all)
    optional = tuple(_compiled(c, tz) for c in checked.any)
    if not optional:
        return lambda facts: all(test(facts) for test in mandatory)
    return lambda facts: (
        all(test(facts) for test in mandatory) and any(test(facts) for test in optional)
    )


def _compiled(c: Condition, tz: ZoneInfo) -> Test:
    op, values = c.operator, c.values
    if c.field is Field.VIP:
        vip = values[0] == "true"
        return lambda facts: bool(facts.vip) is vip
    if c.field is Field.TAGS:
        if op in (Operator.PRESENT, Operator.ABSENT):
            present = op is Operator.PRESENT
            return lambda facts: any(t.strip() for t in facts.tags) is present
        tags, hit = frozenset(v.casefold() for v in values), op in (Operator.CONTAINS, Operator.IN)
        return lambda facts: any(t.strip().casefold() in tags for t in facts.tags) is hit
    if c.field is Field.WEEKDAY:
        days, inside = frozenset(WEEKDAYS.index(v) for v in values), op is Operator.IN
        return lambda facts: (
            facts.at is not None and (_local(facts.at, tz).weekday() in days) is inside
        )
    if c.field is Field.TIME_OF_DAY:
        start, end = _minutes(values[0]), _minutes(values[1])
        return lambda facts: facts.at is not None and _in_window(start, end, _local(facts.at, tz))
    return _compiled_text(c)


def _compiled_text(c: Condition) -> Test:
    key, attribute = c.key or "", _TEXT_ATTRIBUTES.get(c.field, "")

    def value(facts: Facts) -> str | None:
        raw = facts.customer.get(key) if not attribute else getattr(facts, attribute)
        return None if raw is None else (raw.strip().casefold() or None)

    op, wanted = c.operator, [v.casefold() for v in c.values]
    if op in (Operator.PRESENT, Operator.ABSENT):
        present = op is Operator.PRESENT
        return lambda facts: (value(facts) is not None) is present
    if op in (Operator.IN, Operator.NOT_IN):
        among, inside = frozenset(wanted), op is Operator.IN
        return lambda facts: (value(facts) in among) is inside
    one = wanted[0]
    if op is Operator.EQUALS:
        return lambda facts: value(facts) == one
    if op is Operator.NOT_EQUALS:
        return lambda facts: value(facts) != one
    if op is Operator.STARTS_WITH:
        return lambda facts: (v := value(facts)) is not None and v.startswith(one)
    inside = op is Operator.CONTAINS
    return lambda facts: ((v := value(facts)) is not None and one in v) is inside


_JSON_KEYS = frozenset({"field", "operator", "values", "key"})


def to_json(conditions: Conditions) -> dict[str, Any]:
    """The stored form (a JSON column): ``{"all": [{"field": "CHANNEL", "operator": "IN",
    "values": ["SDK"], "key": null}, ...], "any": [...]}``."""
    return {
        name: [
            dict(field=str(c.field), operator=str(c.operator), values=list(c.values), key=c.key)
            for c in group
        ]
        for name, group in (("all", conditions.all), ("any", conditions.any))
    }


def from_json(data: Any) -> Conditions:
    """Read conditions back from their stored form, validated (``validate``). A missing list or
    ``values`` is empty, a missing ``key`` null; malformed data raises ConditionError."""
    if not isinstance(data, Mapping) or not set(data) <= {"all", "any"}:
        raise ConditionError("Conditions are an object with the lists all and any.", "conditions")
    groups: dict[str, tuple[Condition, ...]] = {}
    for name in ("all", "any"):
        items = data.get(name, [])
        if not isinstance(items, list):
            raise ConditionError(f"{name} is a list of conditions.", f"conditions.{name}")
        groups[name] = tuple(
            _condition_from_json(item, f"conditions.{name}[{i}]") for i, item in enumerate(items)
        )
    return validate(Conditions(all=groups["all"], any=groups["any"]))


def _condition_from_json(item: Any, path: str) -> Condition:
    if not isinstance(item, Mapping) or not {"field", "operator"} <= set(item) <= _JSON_KEYS:
        raise ConditionError("A condition is an object with field, operator, values, key.", path)
    # validate() checks the names, the values and the key, and makes them enums and tuples.
    return Condition(item["field"], item["operator"], item.get("values", []), item.get("key"))
