"""The model's rules as data: defaults from domain.md §2, overridable per municipality.

``DEFAULTS`` is keyed like ``schema.SETTINGS_ROWS`` (Indstillinger) and the batch TOML file.
``Settings`` is the typed, validated form the rules use; build it with :func:`settings_from` (Indstillinger
cell values) or :func:`parse_settings_toml` (a TOML file).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from functools import cached_property
from types import MappingProxyType

from samarbejde_xl import schema
from samarbejde_xl.core.dates import add_years, edate
from samarbejde_xl.core.errors import SettingsError

DEFAULTS: Mapping[str, object] = {
    "udsatte.start_age": 15,
    "udsatte.end_age": 23,
    "psykisk.min_inclusion_age": 16,
    "psykisk.end_age": 25,
    "start_window_days": 30,
    "m16.before_days": 30,
    "m16.after_days": 30,
    "m17_5.before_days": 60,
    "m17_5.after_days": 0,
    "m18_5.before_days": 30,
    "m18_5.after_days": 30,
    "follow_up_months": 3,
    "follow_up_window_days": 30,
    "quarterly_mode": "rolling",
    "quarterly_window_days": 30,
    "soon_days": 30,
    "attendance_strict": True,
    "programme_counts_as_job": True,
}
DEFAULTS = MappingProxyType(DEFAULTS)  # read-only: the core keeps no mutable state

VARIANTS: tuple[str, ...] = schema.VARIANT.codes

MILESTONE_AGE_MONTHS: Mapping[str, int] = MappingProxyType({"m16": 16 * 12, "m17_5": 17 * 12 + 6, "m18_5": 18 * 12 + 6})
"""Age-bound milestones: MEETING_KIND code -> age in months (EDATE from the birth date)."""

ADULT_AGE = 18
"""Quarterly meetings in ``psykisk`` run while the young person is under this age."""

# Indstillinger rows that are not rules (read elsewhere): accepted and ignored here.
_NON_RULE_KEYS = frozenset(row.key for row in schema.SETTINGS_ROWS) - frozenset(DEFAULTS)

_AGE_RANGE = (14, 30)
_DAYS_RANGE = (0, 365)
_MONTHS_RANGE = (1, 12)
_SOON_RANGE = (0, 180)
_MIN_INCLUSION_RANGE = (15, 16)


def _range_of(key: str) -> tuple[int, int]:
    if key == "psykisk.min_inclusion_age":
        return _MIN_INCLUSION_RANGE
    if key.endswith("_age"):
        return _AGE_RANGE
    if key == "follow_up_months":
        return _MONTHS_RANGE
    if key == "soon_days":
        return _SOON_RANGE
    return _DAYS_RANGE


@dataclass(frozen=True)
class Milestone:
    """An age-bound milestone meeting and its window (days before/after the due date)."""

    kind: str  # MEETING_KIND code
    age_months: int
    before_days: int
    after_days: int

    def due(self, birth: date) -> date:
        return edate(birth, self.age_months)


@dataclass(frozen=True)
class Settings:
    """Validated rules. Field names are the ``DEFAULTS`` keys with '.' replaced by '_'."""

    udsatte_start_age: int = 15
    udsatte_end_age: int = 23
    psykisk_min_inclusion_age: int = 16
    psykisk_end_age: int = 25
    start_window_days: int = 30
    m16_before_days: int = 30
    m16_after_days: int = 30
    m17_5_before_days: int = 60
    m17_5_after_days: int = 0
    m18_5_before_days: int = 30
    m18_5_after_days: int = 30
    follow_up_months: int = 3
    follow_up_window_days: int = 30
    quarterly_mode: str = "rolling"  # QUARTERLY_MODE code: "rolling" | "calendar"
    quarterly_window_days: int = 30
    soon_days: int = 30
    attendance_strict: bool = True
    programme_counts_as_job: bool = True  # the seed's "job- og beskæftigelsesrettede tilbud"
    # Data, not Indstillinger rows (change with dataclasses.replace):
    life_areas: tuple[str, ...] = schema.LIFE_AREA.codes
    udsatte_milestones: tuple[str, ...] = ("m16", "m17_5", "m18_5")
    psykisk_milestones: tuple[str, ...] = ("m17_5", "m18_5")
    quarterly_months: int = 3  # psykisk rolling mode: months between quarterly meetings

    def value(self, key: str) -> object:
        """The value of a ``DEFAULTS`` key."""
        return getattr(self, _field_name(key))

    def as_dict(self) -> dict[str, object]:
        """Keyed like ``DEFAULTS``."""
        return {key: self.value(key) for key in DEFAULTS}

    def milestone(self, kind: str) -> Milestone:
        return Milestone(
            kind,
            MILESTONE_AGE_MONTHS[kind],
            int(getattr(self, f"{kind}_before_days")),
            int(getattr(self, f"{kind}_after_days")),
        )

    def milestones(self, variant: str) -> tuple[Milestone, ...]:
        """Age-bound milestones of a variant (the start meeting is not one: it follows the inclusion)."""
        return self.plan_rules(variant).milestone_settings

    def plan_rules(self, variant: str) -> PlanRules:
        """The variant's rules as a meeting plan uses them."""
        rules = self._plan_rules.get(variant)
        if rules is None:
            raise ValueError(f"unknown variant {variant!r}")
        return rules

    @cached_property
    def _plan_rules(self) -> dict[str, PlanRules]:
        # Cached on the object, not in the module: the core keeps no state between calls.
        return {variant: PlanRules.of(self, variant) for variant in ("udsatte", "psykisk")}


@dataclass(frozen=True)
class PlanRules:
    """A variant's rules as a plan uses them. Worked out once per settings object, not per young person: building
    the timedeltas and looking up the milestones cost as much as the rest of a plan's date arithmetic."""

    start_months: int  # age at which a course may start, in months (EDATE)
    end_months: int  # age at which it ends
    start_window: timedelta
    milestones: tuple[tuple[str, int, timedelta, timedelta], ...]  # kind, age in months, days before, days after
    milestone_settings: tuple[Milestone, ...]

    @classmethod
    def of(cls, settings: Settings, variant: str) -> PlanRules:
        kinds = settings.udsatte_milestones if variant == "udsatte" else settings.psykisk_milestones
        milestones = tuple(settings.milestone(kind) for kind in kinds)
        return cls(
            12 * variant_start_age(settings, variant),
            12 * variant_end_age(settings, variant),
            timedelta(days=settings.start_window_days),
            tuple(
                (m.kind, m.age_months, timedelta(days=m.before_days), timedelta(days=m.after_days)) for m in milestones
            ),
            milestones,
        )


def _field_name(key: str) -> str:
    return key.replace(".", "_")


_FIELD_NAMES = frozenset(field.name for field in fields(Settings))
assert all(_field_name(key) in _FIELD_NAMES for key in DEFAULTS), "every DEFAULTS key needs a Settings field"

DEFAULT_SETTINGS = Settings()
assert DEFAULT_SETTINGS.as_dict() == DEFAULTS, "Settings defaults must equal DEFAULTS"


class SettingValueError(SettingsError):
    """A bad setting value. ``label`` and ``reason`` are Danish, for the Fejl sheet (problem 'setting-invalid')."""

    def __init__(self, key: str, message: str, source: str = "", *, label: str = "", reason: str = "") -> None:
        super().__init__(key, message, source)
        self.label = label or key
        self.reason = reason or message


def setting_label(key: str) -> str:
    """The Danish label of a setting (its Indstillinger row), or the key."""
    row = schema.SETTINGS_ROWS_BY_KEY.get(key)
    return row.label if row else key


def _error(key: str, danish: str, source: str) -> SettingValueError:
    label = setting_label(key)
    return SettingValueError(key, f"{label}: {danish}", source, label=label, reason=danish)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_int(key: str, value: object, source: str) -> int:
    low, high = _range_of(key)
    danish = f"skal være et helt tal fra {low} til {high}, ikke '{value}'"
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            as_float = float(text)
        except ValueError:
            as_float = None
        if as_float is not None and as_float.is_integer():
            number = int(as_float)
    if number is None or not low <= number <= high:
        raise _error(key, danish, source)
    return number


_TRUE_WORDS = frozenset({"ja", "yes", "true", "sand", "1"})
_FALSE_WORDS = frozenset({"nej", "no", "false", "falsk", "0"})


def _as_bool(key: str, value: object, source: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise _error(key, f"skal være 'ja' eller 'nej', ikke '{value}'", source)


def _as_quarterly_mode(key: str, value: object, source: str) -> str:
    choice = schema.QUARTERLY_MODE
    if isinstance(value, str):
        text = value.strip()
        if text.casefold() in choice.codes:
            return text.casefold()
        code = choice.code_of(text)
        if code is not None:
            return code
    allowed = " / ".join(f"'{label}'" for label in choice.labels)
    raise _error(key, f"skal være {allowed}, ikke '{value}'", source)


def _coerce(key: str, value: object, source: str) -> object:
    default = DEFAULTS[key]
    if key == "quarterly_mode":
        return _as_quarterly_mode(key, value, source)
    if isinstance(default, bool):
        return _as_bool(key, value, source)
    return _as_int(key, value, source)


def _check_consistency(settings: Settings, changed: set[str], source: str) -> None:
    for variant, first_key, first in (
        ("udsatte", "udsatte.start_age", settings.udsatte_start_age),
        ("psykisk", "psykisk.min_inclusion_age", settings.psykisk_min_inclusion_age),
    ):
        end_key = f"{variant}.end_age"
        end = variant_end_age(settings, variant)
        if first >= end:
            key = end_key if end_key in changed else first_key
            raise _error(
                key,
                f"{variant}: startalderen ({first}) skal være lavere end slutalderen ({end})",
                source,
            )


def settings_from(overrides: Mapping[str, object], *, base: Settings = DEFAULT_SETTINGS, source: str = "") -> Settings:
    """Apply overrides keyed like ``DEFAULTS`` to ``base``. Blank values keep the base value.

    Raises ``SettingValueError`` (a ``SettingsError``) naming the first bad setting and its allowed values.
    Indstillinger rows that are not rules (municipality, template version, default variant) are ignored.
    """
    changes: dict[str, object] = {}
    for key, value in overrides.items():
        if key in _NON_RULE_KEYS:
            continue
        if key not in DEFAULTS:
            known = ", ".join(DEFAULTS)
            raise _error(key, f"ukendt indstilling; de kendte er: {known}", source)
        if _is_blank(value):
            continue
        changes[_field_name(key)] = _coerce(key, value, source)
    if not changes:
        return base
    settings = replace(base, **changes)  # type: ignore[arg-type]
    _check_consistency(settings, {key for key in overrides if _field_name(key) in changes}, source)
    return settings


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def parse_settings_toml(text: str, *, source: str = "") -> Settings:
    """Settings from TOML: flat keys (``soon_days = 14``), dotted keys or tables (``[udsatte]`` ``end_age = 23``)."""
    import tomllib  # only with a --settings file: every command's start-up would pay for it

    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"line (\d+), column (\d+)", str(error))  # tomllib says where, in English
        at = f" (linje {where[1]}, kolonne {where[2]})" if where else ""
        raise SettingValueError(
            "", f"ikke gyldig TOML{at}. Skriv hver indstilling som navn = værdi, fx soon_days = 14", source
        ) from error
    return settings_from(_flatten(table), source=source)


def variant_end_age(settings: Settings, variant: str) -> int:
    """The age at which the course ends: 23 (udsatte) / 25 (psykisk) by default."""
    if variant == "udsatte":
        return settings.udsatte_end_age
    if variant == "psykisk":
        return settings.psykisk_end_age
    raise ValueError(f"unknown variant {variant!r}")


def variant_start_age(settings: Settings, variant: str) -> int:
    """The earliest age a course runs from: 15 (udsatte) / 16 (psykisk, minimum inclusion age) by default."""
    if variant == "udsatte":
        return settings.udsatte_start_age
    if variant == "psykisk":
        return settings.psykisk_min_inclusion_age
    raise ValueError(f"unknown variant {variant!r}")


def course_end(birth: date, variant: str, settings: Settings) -> date:
    """The birthday on which the course ends by age (23rd / 25th by default), EDATE semantics."""
    return add_years(birth, variant_end_age(settings, variant))
