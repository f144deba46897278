"""Smart routing conditions (R-CC-9): every operator of every field, the all/any semantics
(any-only rules included), time windows and weekdays in the rule's time zone, validation with
the input path of each error, the stored JSON form, and the compiled predicates agreeing with
the interpreter."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.routing.conditions import (
    MAX_CONDITIONS,
    MAX_VALUE_LENGTH,
    MAX_VALUES,
    WEEKDAYS,
    Condition,
    ConditionError,
    Conditions,
    Facts,
    Field,
    Operator,
    compile_conditions,
    evaluate,
    from_json,
    to_json,
    validate,
)

UTC_ZONE = ZoneInfo("UTC")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
F, Op = Field, Operator


def cond(field: Field, operator: Operator, *values: str, key: str | None = None) -> Condition:
    return Condition(field, operator, tuple(values), key)


def holds(condition: Condition, facts: Facts, tz: ZoneInfo = UTC_ZONE) -> bool:
    """Whether a one-condition rule matches, checked three ways that must agree: the
    interpreter and the compiled predicate, as a mandatory and as an any-only condition."""
    results = {
        evaluate(Conditions(all=(condition,)), facts, tz).matched,
        evaluate(Conditions(any=(condition,)), facts, tz).matched,
        compile_conditions(Conditions(all=(condition,)), tz)(facts),
        compile_conditions(Conditions(any=(condition,)), tz)(facts),
    }
    assert len(results) == 1, "evaluate and compile_conditions disagree"
    return results.pop()


def at_utc(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in January 2025 (the 6th is a Monday), in UTC."""
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


# -- text fields ------------------------------------------------------------------------------

TEXT_FIELDS = [F.CHANNEL, F.MENU, F.LANGUAGE, F.SOURCE_PAGE, F.CUSTOMER_FIELD]
# operator, values, the fact (None: missing), expected
TEXT_CASES = [
    (Op.EQUALS, ("Sales",), " sales ", True),
    (Op.EQUALS, ("Sales",), "Sales team", False),
    (Op.EQUALS, ("Sales",), None, False),
    (Op.NOT_EQUALS, ("Sales",), "SALES", False),
    (Op.NOT_EQUALS, ("Sales",), "Support", True),
    (Op.NOT_EQUALS, ("Sales",), None, True),
    (Op.IN, ("Sales", "Billing"), "billing", True),
    (Op.IN, ("Sales", "Billing"), "Support", False),
    (Op.IN, ("Sales", "Billing"), None, False),
    (Op.NOT_IN, ("Sales", "Billing"), "BILLING", False),
    (Op.NOT_IN, ("Sales", "Billing"), "Support", True),
    (Op.NOT_IN, ("Sales", "Billing"), None, True),
    (Op.CONTAINS, ("ALE",), "Wholesale", True),
    (Op.CONTAINS, ("ale",), "Support", False),
    (Op.CONTAINS, ("ale",), None, False),
    (Op.NOT_CONTAINS, ("ale",), "Sales", False),
    (Op.NOT_CONTAINS, ("ale",), "Support", True),
    (Op.NOT_CONTAINS, ("ale",), None, True),
    (Op.STARTS_WITH, ("sa",), "Sales", True),
    (Op.STARTS_WITH, ("sa",), "Resale", False),
    (Op.STARTS_WITH, ("sa",), None, False),
    (Op.PRESENT, (), "x", True),
    (Op.PRESENT, (), "   ", False),
    (Op.PRESENT, (), None, False),
    (Op.ABSENT, (), "x", False),
    (Op.ABSENT, (), "", True),
    (Op.ABSENT, (), None, True),
]


def text_facts(field: Field, value: str | None) -> Facts:
    if field is F.CUSTOMER_FIELD:
        return Facts(customer={} if value is None else {"tier": value})
    return Facts(**{field.lower(): value})


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize(("operator", "values", "fact", "expected"), TEXT_CASES)
def test_text_field_operators(field, operator, values, fact, expected):
    """R-CC-9: channel, menu, language, source page and customer fields take every text
    operator, casefolded and stripped; a missing fact satisfies only the negative ones."""
    key = "tier" if field is F.CUSTOMER_FIELD else None
    condition = cond(field, operator, *values, key=key)
    assert holds(condition, text_facts(field, fact)) is expected


def test_language_equals_is_exact_but_starts_with_takes_a_prefix():
    """R-CC-9: LANGUAGE EQUALS zh does not match zh-CN; STARTS_WITH zh does."""
    facts = Facts(language="zh-CN")
    assert not holds(cond(F.LANGUAGE, Op.EQUALS, "zh"), facts)
    assert holds(cond(F.LANGUAGE, Op.EQUALS, "ZH-cn"), facts)
    assert holds(cond(F.LANGUAGE, Op.STARTS_WITH, "zh"), facts)
    assert not holds(cond(F.LANGUAGE, Op.STARTS_WITH, "en"), facts)


def test_customer_field_reads_the_field_named_by_its_key():
    """R-CC-9: CUSTOMER_FIELD looks only at facts.customer[key]."""
    facts = Facts(customer={"tier": "gold", "region": "north"}, channel="gold")
    assert holds(cond(F.CUSTOMER_FIELD, Op.EQUALS, "Gold", key="tier"), facts)
    assert not holds(cond(F.CUSTOMER_FIELD, Op.EQUALS, "gold", key="region"), facts)
    assert not holds(cond(F.CUSTOMER_FIELD, Op.PRESENT, key="plan"), facts)
    assert holds(cond(F.CUSTOMER_FIELD, Op.NOT_EQUALS, "gold", key="plan"), facts)


# -- VIP and tags -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "vip", "expected"),
    [("true", True, True), ("true", False, False), ("false", False, True), ("false", True, False)],
)
def test_vip_equals(value, vip, expected):
    """R-CC-9: VIP EQUALS true/false."""
    assert holds(cond(F.VIP, Op.EQUALS, value), Facts(vip=vip)) is expected


@pytest.mark.parametrize(
    ("operator", "values", "tags", "expected"),
    [
        (Op.CONTAINS, ("VIP",), {"vip", "north"}, True),
        (Op.CONTAINS, ("vip",), {"north"}, False),
        (Op.CONTAINS, ("vip",), set(), False),
        (Op.NOT_CONTAINS, ("vip",), {" VIP "}, False),
        (Op.NOT_CONTAINS, ("vip",), {"north"}, True),
        (Op.NOT_CONTAINS, ("vip",), set(), True),
        (Op.IN, ("vip", "gold"), {"Gold"}, True),
        (Op.IN, ("vip", "gold"), {"north"}, False),
        (Op.IN, ("vip", "gold"), set(), False),
        (Op.NOT_IN, ("vip", "gold"), {"north", "gold"}, False),
        (Op.NOT_IN, ("vip", "gold"), {"north"}, True),
        (Op.NOT_IN, ("vip", "gold"), set(), True),
        (Op.PRESENT, (), {"north"}, True),
        (Op.PRESENT, (), set(), False),
        (Op.PRESENT, (), {"  "}, False),
        (Op.ABSENT, (), {"north"}, False),
        (Op.ABSENT, (), set(), True),
    ],
)
def test_tags_operators(operator, values, tags, expected):
    """R-CC-9: customer tags, compared casefolded; a blank tag is no tag."""
    facts = Facts(tags=frozenset(tags))
    assert holds(cond(F.TAGS, operator, *values), facts) is expected


# -- time of day and weekday ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "hour", "minute", "expected"),
    [
        (("09:00", "18:00"), 9, 0, True),  # start inclusive
        (("09:00", "18:00"), 17, 59, True),
        (("09:00", "18:00"), 18, 0, False),  # end exclusive
        (("09:00", "18:00"), 8, 59, False),
        (("22:00", "06:00"), 22, 0, True),  # wraps midnight
        (("22:00", "06:00"), 23, 30, True),
        (("22:00", "06:00"), 0, 0, True),
        (("22:00", "06:00"), 5, 59, True),
        (("22:00", "06:00"), 6, 0, False),
        (("22:00", "06:00"), 12, 0, False),
        (("22:00", "06:00"), 21, 59, False),
    ],
)
def test_time_of_day_between(window, hour, minute, expected):
    """R-CC-9: TIME_OF_DAY BETWEEN start (inclusive) and end (exclusive), wrapping midnight
    when the end comes before the start."""
    facts = Facts(at=at_utc(6, hour, minute))
    assert holds(cond(F.TIME_OF_DAY, Op.BETWEEN, *window), facts) is expected


@pytest.mark.parametrize(
    ("hour", "minute", "second", "expected"),
    [
        (0, 59, 59, False),  # 08:59:59 in Shanghai
        (1, 0, 0, True),  # 09:00 in Shanghai
        (9, 59, 59, True),  # 17:59:59
        (10, 0, 0, False),  # 18:00
    ],
)
def test_time_of_day_is_local_to_the_rules_time_zone(hour, minute, second, expected):
    """R-CC-9: the window is read in the rule's time zone (Asia/Shanghai, UTC+8), to the
    second at its boundaries."""
    facts = Facts(at=datetime(2025, 1, 6, hour, minute, second, tzinfo=UTC))
    assert holds(cond(F.TIME_OF_DAY, Op.BETWEEN, "09:00", "18:00"), facts, SHANGHAI) is expected


def test_time_of_day_takes_any_aware_instant_and_a_naive_one_as_utc():
    """R-CC-9: facts.at may be in any time zone; a naive one is taken as UTC."""
    window = cond(F.TIME_OF_DAY, Op.BETWEEN, "09:00", "10:00")
    new_york_9am = datetime(2025, 1, 6, 9, 30, tzinfo=NEW_YORK)  # 14:30 UTC, 22:30 Shanghai
    assert holds(window, Facts(at=new_york_9am), NEW_YORK)
    assert not holds(window, Facts(at=new_york_9am), UTC_ZONE)
    assert holds(window, Facts(at=datetime(2025, 1, 6, 9, 30)), UTC_ZONE)  # noqa: DTZ001
    assert holds(window, Facts(at=datetime(2025, 1, 6, 1, 30)), SHANGHAI)  # noqa: DTZ001


@pytest.mark.parametrize("field", [F.TIME_OF_DAY, F.WEEKDAY])
def test_time_conditions_do_not_hold_without_a_time(field):
    """R-CC-9: without facts.at, TIME_OF_DAY and WEEKDAY (IN and NOT_IN) do not hold."""
    if field is F.TIME_OF_DAY:
        conditions = [cond(field, Op.BETWEEN, "00:00", "23:59")]
    else:
        conditions = [cond(field, Op.IN, *WEEKDAYS), cond(field, Op.NOT_IN, "MON")]
    for condition in conditions:
        assert not holds(condition, Facts())
        verdict = evaluate(Conditions(all=(condition,)), Facts(), UTC_ZONE)
        assert "time unknown" in verdict.reasons[0]


@pytest.mark.parametrize(
    ("operator", "days", "tz", "expected"),
    [
        (Op.IN, ("MON",), SHANGHAI, True),
        (Op.IN, ("MON",), UTC_ZONE, False),
        (Op.IN, ("SAT", "SUN"), UTC_ZONE, True),
        (Op.IN, ("SAT", "SUN"), SHANGHAI, False),
        (Op.NOT_IN, ("MON",), SHANGHAI, False),
        (Op.NOT_IN, ("MON",), UTC_ZONE, True),
        (Op.NOT_IN, ("SAT", "SUN"), SHANGHAI, True),
    ],
)
def test_weekday_is_local_across_midnight_utc(operator, days, tz, expected):
    """R-CC-9: Sunday 16:30 UTC is already Monday 00:30 in Shanghai."""
    facts = Facts(at=at_utc(5, 16, 30))
    assert holds(cond(F.WEEKDAY, operator, *days), facts, tz) is expected


# -- all / any --------------------------------------------------------------------------------

SDK = cond(F.CHANNEL, Op.EQUALS, "SDK")
VIP = cond(F.VIP, Op.EQUALS, "true")
GOLD = cond(F.TAGS, Op.CONTAINS, "gold")
CHINESE = cond(F.LANGUAGE, Op.STARTS_WITH, "zh")


@pytest.mark.parametrize(
    ("conditions", "facts", "expected"),
    [
        (Conditions(all=(SDK, VIP)), Facts(channel="SDK", vip=True), True),
        (Conditions(all=(SDK, VIP)), Facts(channel="SDK"), False),
        (Conditions(any=(GOLD, CHINESE)), Facts(language="zh-CN"), True),
        (Conditions(any=(GOLD, CHINESE)), Facts(tags=frozenset({"gold"})), True),
        (Conditions(any=(GOLD, CHINESE)), Facts(language="en", channel="SDK"), False),
        (Conditions(all=(SDK,), any=(GOLD, CHINESE)), Facts(channel="SDK", language="zh"), True),
        (Conditions(all=(SDK,), any=(GOLD, CHINESE)), Facts(channel="SDK", language="en"), False),
        (Conditions(all=(SDK,), any=(GOLD, CHINESE)), Facts(channel="WEB", language="zh"), False),
    ],
    ids=[
        "all-held",
        "all-one-failed",
        "any-only-one-held",
        "any-only-other-held",
        "any-only-none-held",
        "all-and-any-held",
        "all-held-any-none",
        "any-held-all-failed",
    ],
)
def test_all_and_any(conditions, facts, expected):
    """R-CC-9: every mandatory condition and, when there are any, one of the others; a rule
    made only of any conditions is valid and matches when one of them holds."""
    assert evaluate(conditions, facts, UTC_ZONE).matched is expected
    assert compile_conditions(conditions, UTC_ZONE)(facts) is expected


def test_verdict_explains_each_condition_and_each_list():
    """R-CC-9: one reason per condition evaluated, then one per list, saying why."""
    conditions = Conditions(all=(SDK, VIP), any=(GOLD, CHINESE))
    verdict = evaluate(conditions, Facts(channel=" SDK ", language="en"), UTC_ZONE)
    assert not verdict.matched
    assert verdict.reasons == (
        "channel equals SDK: yes (SDK)",
        "vip equals true: no (not VIP)",
        "tags contains gold: no (no tags)",
        "language starts with zh: no (en)",
        "all: 1 of 2 did not hold",
        "any: none held",
    )
    verdict = evaluate(Conditions(any=(GOLD, CHINESE)), Facts(language="zh-CN"), SHANGHAI)
    assert verdict.matched
    assert verdict.reasons[-1] == "any: 1 of 2 held"
    window = cond(F.TIME_OF_DAY, Op.BETWEEN, "09:00", "18:00")
    tier = cond(F.CUSTOMER_FIELD, Op.IN, "gold", "silver", key="tier")
    verdict = evaluate(Conditions(all=(window, tier)), Facts(at=at_utc(6, 1)), SHANGHAI)
    assert verdict.reasons == (
        "time of day between 09:00 and 18:00: yes (09:00 in Asia/Shanghai)",
        "customer field tier in gold, silver: no (missing)",
        "all: 1 of 2 did not hold",
    )


# -- validation -------------------------------------------------------------------------------


def many(n: int) -> tuple[Condition, ...]:
    return tuple(cond(F.CHANNEL, Op.EQUALS, f"C{i}") for i in range(n))


@pytest.mark.parametrize(
    ("conditions", "path"),
    [
        (Conditions(), "conditions"),
        (Conditions(all=many(30), any=many(MAX_CONDITIONS - 29)), "conditions"),
        (Conditions(all=(cond("COLOUR", Op.EQUALS, "red"),)), "conditions.all[0].field"),
        (Conditions(all=(cond(F.CHANNEL, "LIKE", "x"),)), "conditions.all[0].operator"),
        (Conditions(all=(cond(F.CHANNEL, Op.BETWEEN, "a", "b"),)), "conditions.all[0].operator"),
        (Conditions(any=(SDK, cond(F.TAGS, Op.EQUALS, "x"))), "conditions.any[1].operator"),
        (Conditions(all=(cond(F.VIP, Op.IN, "true"),)), "conditions.all[0].operator"),
        (Conditions(all=(cond(F.TIME_OF_DAY, Op.EQUALS, "09:00"),)), "conditions.all[0].operator"),
        (Conditions(all=(cond(F.WEEKDAY, Op.EQUALS, "MON"),)), "conditions.all[0].operator"),
        (Conditions(all=(cond(F.TAGS, Op.STARTS_WITH, "v"),)), "conditions.all[0].operator"),
        (Conditions(all=(cond(F.CHANNEL, Op.EQUALS),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.CHANNEL, Op.EQUALS, "a", "b"),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.MENU, Op.CONTAINS, "a", "b"),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.MENU, Op.IN),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.MENU, Op.IN, *map(str, range(101))),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.MENU, Op.PRESENT, "x"),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.TIME_OF_DAY, Op.BETWEEN, "09:00"),)), "conditions.all[0].values"),
        (Conditions(any=(SDK, cond(F.MENU, Op.IN, "a", "  "))), "conditions.any[1].values"),
        (Conditions(all=(cond(F.MENU, Op.EQUALS, ""),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.MENU, Op.EQUALS, "x" * 201),)), "conditions.all[0].values"),
        (Conditions(all=(Condition(F.MENU, Op.EQUALS, (1,)),)), "conditions.all[0].values"),
        (Conditions(all=(Condition(F.MENU, Op.EQUALS, "ab"),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.CUSTOMER_FIELD, Op.PRESENT),)), "conditions.all[0].key"),
        (Conditions(all=(cond(F.CUSTOMER_FIELD, Op.PRESENT, key=" "),)), "conditions.all[0].key"),
        (
            Conditions(all=(cond(F.CUSTOMER_FIELD, Op.PRESENT, key="k" * 201),)),
            "conditions.all[0].key",
        ),
        (Conditions(any=(SDK, SDK, cond(F.CHANNEL, Op.PRESENT, key="k"))), "conditions.any[2].key"),
        (
            Conditions(all=(cond(F.TIME_OF_DAY, Op.BETWEEN, "24:00", "06:00"),)),
            "conditions.all[0].values",
        ),
        (
            Conditions(all=(cond(F.TIME_OF_DAY, Op.BETWEEN, "9:00", "18:00"),)),
            "conditions.all[0].values",
        ),
        (
            Conditions(all=(cond(F.TIME_OF_DAY, Op.BETWEEN, "09:00", "18:60"),)),
            "conditions.all[0].values",
        ),
        (
            Conditions(all=(cond(F.TIME_OF_DAY, Op.BETWEEN, "noon", "18:00"),)),
            "conditions.all[0].values",
        ),
        (
            Conditions(all=(cond(F.TIME_OF_DAY, Op.BETWEEN, "09:00", "09:00"),)),
            "conditions.all[0].values",
        ),
        (Conditions(all=(cond(F.WEEKDAY, Op.IN, "MON", "MONDAY"),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.WEEKDAY, Op.NOT_IN, "Funday"),)), "conditions.all[0].values"),
        (Conditions(all=(cond(F.VIP, Op.EQUALS, "yes"),)), "conditions.all[0].values"),
    ],
)
def test_validate_errors_name_the_offending_input(conditions, path):
    """R-CC-9: each error names its input path; evaluate and compile refuse the same rules."""
    with pytest.raises(ConditionError) as raised:
        validate(conditions)
    assert raised.value.field == path
    assert str(raised.value) == raised.value.message
    with pytest.raises(ConditionError):
        evaluate(conditions, Facts(), UTC_ZONE)
    with pytest.raises(ConditionError):
        compile_conditions(conditions, UTC_ZONE)


def test_validate_accepts_the_limits_and_normalises():
    """R-CC-9: 50 conditions, 100 values of 200 characters are accepted; values and keys come
    back stripped, weekdays upper-cased, VIP lower-cased, names as enums."""
    assert len(validate(Conditions(any=many(MAX_CONDITIONS))).any) == MAX_CONDITIONS
    longest = cond(F.MENU, Op.IN, *[str(i).rjust(MAX_VALUE_LENGTH, "x") for i in range(MAX_VALUES)])
    assert validate(Conditions(all=(longest,))).all == (longest,)
    raw = Conditions(
        all=(
            Condition("CHANNEL", "IN", [" SDK ", "Web"]),
            cond(F.WEEKDAY, Op.IN, " mon", "Sat"),
            cond(F.VIP, Op.EQUALS, " TRUE "),
        ),
        any=(cond(F.CUSTOMER_FIELD, Op.EQUALS, " Gold ", key=" tier "),),
    )
    assert validate(raw) == Conditions(
        all=(
            cond(F.CHANNEL, Op.IN, "SDK", "Web"),
            cond(F.WEEKDAY, Op.IN, "MON", "SAT"),
            cond(F.VIP, Op.EQUALS, "true"),
        ),
        any=(cond(F.CUSTOMER_FIELD, Op.EQUALS, "Gold", key="tier"),),
    )
    assert type(validate(raw).all[0].field) is Field


# -- stored form ------------------------------------------------------------------------------

RICH = Conditions(
    all=(
        cond(F.CHANNEL, Op.IN, "SDK", "WEB"),
        cond(F.TIME_OF_DAY, Op.BETWEEN, "22:00", "06:00"),
    ),
    any=(
        cond(F.CUSTOMER_FIELD, Op.EQUALS, "gold", key="tier"),
        cond(F.TAGS, Op.PRESENT),
        cond(F.WEEKDAY, Op.NOT_IN, "SAT", "SUN"),
    ),
)


def test_json_round_trip():
    """R-CC-9: the stored form is plain JSON, and reading it back gives the same rule."""
    stored = to_json(RICH)
    assert stored["all"][0] == {
        "field": "CHANNEL",
        "operator": "IN",
        "values": ["SDK", "WEB"],
        "key": None,
    }
    assert stored["any"][0]["key"] == "tier"
    assert from_json(json.loads(json.dumps(stored))) == RICH
    assert from_json(to_json(Conditions(any=(VIP,)))) == Conditions(any=(VIP,))
    assert from_json({"any": [{"field": "TAGS", "operator": "PRESENT"}]}) == Conditions(
        any=(cond(F.TAGS, Op.PRESENT),)
    )


def good(**changes: object) -> dict[str, object]:
    return {"field": "CHANNEL", "operator": "EQUALS", "values": ["SDK"], "key": None, **changes}


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (None, "conditions"),
        ([], "conditions"),
        ("all", "conditions"),
        ({"all": [good()], "none": []}, "conditions"),
        ({}, "conditions"),
        ({"all": [], "any": []}, "conditions"),
        ({"all": good()}, "conditions.all"),
        ({"all": [good()], "any": None}, "conditions.any"),
        ({"all": ["CHANNEL"]}, "conditions.all[0]"),
        ({"all": [good(), good(extra=1)]}, "conditions.all[1]"),
        ({"any": [{"operator": "EQUALS", "values": ["x"]}]}, "conditions.any[0]"),
        ({"any": [good(field="COLOUR")]}, "conditions.any[0].field"),
        ({"any": [good(field="channel")]}, "conditions.any[0].field"),
        ({"any": [good(field=None)]}, "conditions.any[0].field"),
        ({"any": [good(operator=3)]}, "conditions.any[0].operator"),
        ({"any": [good(values="SDK")]}, "conditions.any[0].values"),
        ({"any": [good(values=[1])]}, "conditions.any[0].values"),
        ({"any": [good(values=None)]}, "conditions.any[0].values"),
        ({"any": [good(field="CUSTOMER_FIELD", key=7)]}, "conditions.any[0].key"),
        ({"any": [good(key="tier")]}, "conditions.any[0].key"),
    ],
)
def test_from_json_rejects_malformed_data(data, path):
    """R-CC-9: malformed stored conditions raise ConditionError naming where."""
    with pytest.raises(ConditionError) as raised:
        from_json(data)
    assert raised.value.field == path


# -- compile_conditions agrees with evaluate --------------------------------------------------

TEXTS = ["SDK", "web", " WeChat ", "sales", "zh", "zh-CN", "en", "https://shop.example/cart"]
OPERATOR_VALUES = {
    Op.EQUALS: 1,
    Op.NOT_EQUALS: 1,
    Op.IN: 3,
    Op.NOT_IN: 2,
    Op.CONTAINS: 1,
    Op.NOT_CONTAINS: 1,
    Op.STARTS_WITH: 1,
    Op.PRESENT: 0,
    Op.ABSENT: 0,
}


def random_condition(rng: random.Random) -> Condition:
    field = rng.choice(list(Field))
    if field is F.VIP:
        return cond(field, Op.EQUALS, rng.choice(["true", "false"]))
    if field is F.TIME_OF_DAY:
        start, end = rng.sample([f"{h:02}:{m:02}" for h in range(24) for m in (0, 30)], 2)
        return cond(field, Op.BETWEEN, start, end)
    if field is F.WEEKDAY:
        return cond(field, rng.choice([Op.IN, Op.NOT_IN]), *rng.sample(WEEKDAYS, rng.randint(1, 3)))
    if field is F.TAGS:
        operator = rng.choice(
            [Op.CONTAINS, Op.NOT_CONTAINS, Op.IN, Op.NOT_IN, Op.PRESENT, Op.ABSENT]
        )
        count = {Op.IN: 2, Op.NOT_IN: 2, Op.PRESENT: 0, Op.ABSENT: 0}.get(operator, 1)
        return cond(field, operator, *rng.sample(["gold", "VIP", "north"], count))
    operator = rng.choice(list(OPERATOR_VALUES))
    pool = [text[: rng.randint(2, len(text))] for text in TEXTS]
    values = rng.sample(pool, OPERATOR_VALUES[operator])
    key = rng.choice(["tier", "region"]) if field is F.CUSTOMER_FIELD else None
    return cond(field, operator, *values, key=key)


def random_facts(rng: random.Random) -> Facts:
    def text() -> str | None:
        return rng.choice([None, "", "  ", *TEXTS, "SALES team", "ZH-cn"])

    customer = {k: v for k in ("tier", "region") if (v := text()) is not None}
    moment = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(7 * 24 * 60))
    return Facts(
        channel=text(),
        menu=text(),
        language=text(),
        source_page=text(),
        vip=rng.random() < 0.5,
        tags=frozenset(rng.sample(["Gold", "vip ", "north", " ", "south"], rng.randint(0, 3))),
        customer=customer,
        at=rng.choice([None, moment, moment.astimezone(NEW_YORK)]),
    )


def test_compiled_predicates_agree_with_the_interpreter():
    """R-CC-9: over 400 random rules (all, any or both) against 15 random sessions each,
    compile_conditions(...)(facts) == evaluate(...).matched, and every verdict gives one
    reason per condition and per non-empty list."""
    rng = random.Random(20250106)
    seen = set()
    for _ in range(400):
        mandatory = tuple(random_condition(rng) for _ in range(rng.randint(0, 3)))
        optional = tuple(
            random_condition(rng) for _ in range(rng.randint(0 if mandatory else 1, 3))
        )
        conditions = Conditions(all=mandatory, any=optional)
        tz = rng.choice([UTC_ZONE, SHANGHAI, NEW_YORK])
        predicate = compile_conditions(conditions, tz)
        for _ in range(15):
            facts = random_facts(rng)
            verdict = evaluate(conditions, facts, tz)
            assert predicate(facts) is verdict.matched, (conditions, facts, verdict.reasons)
            lists = bool(mandatory) + bool(optional)
            assert len(verdict.reasons) == len(mandatory) + len(optional) + lists
            seen.add(verdict.matched)
    assert seen == {True, False}
