"""Settings: defaults from domain.md, overrides from Indstillinger cell values and from TOML."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from samarbejde_xl import schema
from samarbejde_xl.core.errors import SettingsError
from samarbejde_xl.core.settings import (
    DEFAULT_SETTINGS,
    DEFAULTS,
    Settings,
    SettingValueError,
    course_end,
    parse_settings_toml,
    settings_from,
    variant_end_age,
)


def test_defaults_are_the_domain_rules() -> None:
    s = DEFAULT_SETTINGS
    assert (s.udsatte_start_age, s.udsatte_end_age) == (15, 23)
    assert (s.psykisk_min_inclusion_age, s.psykisk_end_age) == (16, 25)
    assert s.start_window_days == 30
    assert (s.m16_before_days, s.m16_after_days) == (30, 30)
    assert (s.m17_5_before_days, s.m17_5_after_days) == (60, 0)
    assert (s.m18_5_before_days, s.m18_5_after_days) == (30, 30)
    assert (s.follow_up_months, s.follow_up_window_days) == (3, 30)
    assert (s.quarterly_mode, s.quarterly_window_days) == ("rolling", 30)
    assert s.soon_days == 30
    assert s.attendance_strict is True
    assert s.programme_counts_as_job is True  # the seed: "job- og beskæftigelsesrettede tilbud"
    assert s.udsatte_milestones == ("m16", "m17_5", "m18_5")
    assert s.psykisk_milestones == ("m17_5", "m18_5")
    assert s.life_areas == schema.LIFE_AREA.codes and len(s.life_areas) == 10


def test_every_default_has_a_settings_field_and_an_indstillinger_row() -> None:
    assert DEFAULT_SETTINGS.as_dict() == DEFAULTS
    assert set(DEFAULTS) <= set(schema.SETTINGS_ROWS_BY_KEY)


def test_milestone_windows() -> None:
    milestones = {m.kind: m for m in DEFAULT_SETTINGS.milestones("udsatte")}
    assert (milestones["m17_5"].age_months, milestones["m17_5"].before_days) == (210, 60)
    assert milestones["m16"].due(date(2008, 5, 10)) == date(2024, 5, 10)
    assert [m.kind for m in DEFAULT_SETTINGS.milestones("psykisk")] == ["m17_5", "m18_5"]
    with pytest.raises(ValueError, match="unknown variant"):
        DEFAULT_SETTINGS.milestones("other")


@pytest.mark.parametrize(
    ("key", "raw", "field", "expected"),
    [
        ("udsatte.end_age", 24, "udsatte_end_age", 24),
        ("udsatte.end_age", 24.0, "udsatte_end_age", 24),
        ("udsatte.end_age", " 24 ", "udsatte_end_age", 24),
        ("psykisk.min_inclusion_age", 15, "psykisk_min_inclusion_age", 15),
        ("m17_5.before_days", "90", "m17_5_before_days", 90),
        ("m17_5.after_days", 0.0, "m17_5_after_days", 0),
        ("follow_up_months", 2, "follow_up_months", 2),
        ("soon_days", 180, "soon_days", 180),
        ("quarterly_mode", "calendar", "quarterly_mode", "calendar"),
        ("quarterly_mode", "ét pr. kvartal", "quarterly_mode", "calendar"),
        ("quarterly_mode", " 3 Måneder efter seneste møde ", "quarterly_mode", "rolling"),
        ("attendance_strict", "nej", "attendance_strict", False),
        ("attendance_strict", "Ja", "attendance_strict", True),
        ("attendance_strict", False, "attendance_strict", False),
        ("programme_counts_as_job", "ja", "programme_counts_as_job", True),
        ("programme_counts_as_job", 1, "programme_counts_as_job", True),
    ],
    ids=[
        "int",
        "float-cell",
        "text-number",
        "min-inclusion-15",
        "days-text",
        "zero-float",
        "months",
        "soon-max",
        "mode-code",
        "mode-label",
        "mode-label-spacing",
        "nej",
        "Ja",
        "bool",
        "ja",
        "one",
    ],
)
def test_override_from_raw_cell_value(key: str, raw: object, field: str, expected: object) -> None:
    settings = settings_from({key: raw})
    assert getattr(settings, field) == expected
    others = {k: v for k, v in settings.as_dict().items() if k != key}
    assert others == {k: v for k, v in DEFAULTS.items() if k != key}


@pytest.mark.parametrize("blank", [None, "", "   "], ids=["none", "empty", "spaces"])
def test_blank_keeps_the_default(blank: object) -> None:
    assert settings_from({"soon_days": blank, "quarterly_mode": blank}) == DEFAULT_SETTINGS


def test_base_is_kept_and_non_rule_rows_are_ignored() -> None:
    base = replace(DEFAULT_SETTINGS, soon_days=7)
    settings = settings_from(
        {"municipality": "Eksempel Kommune", "template_version": 1, "m16.after_days": 10}, base=base
    )
    assert (settings.soon_days, settings.m16_after_days) == (7, 10)


BAD_VALUES = [
    ("udsatte.start_age", 13),
    ("udsatte.start_age", 31),
    ("udsatte.end_age", 40),
    ("udsatte.end_age", "toogtyve"),
    ("psykisk.min_inclusion_age", 14),
    ("psykisk.min_inclusion_age", 17),
    ("psykisk.end_age", 31),
    ("psykisk.end_age", 24.5),
    ("start_window_days", -1),
    ("m16.before_days", 366),
    ("m16.after_days", True),
    ("m17_5.before_days", "60 dage"),
    ("m17_5.after_days", -5),
    ("m18_5.before_days", 400),
    ("m18_5.after_days", 1.5),
    ("follow_up_months", 0),
    ("follow_up_months", 13),
    ("follow_up_window_days", 366),
    ("quarterly_mode", "monthly"),
    ("quarterly_mode", 3),
    ("quarterly_window_days", -1),
    ("soon_days", 181),
    ("attendance_strict", "måske"),
    ("attendance_strict", 2),
    ("programme_counts_as_job", "yes please"),
]


@pytest.mark.parametrize(("key", "raw"), BAD_VALUES, ids=[f"{key}={raw!r}" for key, raw in BAD_VALUES])
def test_bad_value_names_the_setting(key: str, raw: object) -> None:
    with pytest.raises(SettingsError) as caught:
        settings_from({key: raw}, source="kommune.xlsx")
    error = caught.value
    assert error.key == key
    assert error.source == "kommune.xlsx"
    message = str(error)
    assert key in message and "kommune.xlsx" in message
    assert schema.SETTINGS_ROWS_BY_KEY[key].label in message
    assert isinstance(error, SettingValueError)
    assert error.label == schema.SETTINGS_ROWS_BY_KEY[key].label
    assert error.reason  # Danish reason for the Fejl sheet


def test_every_setting_has_a_bad_value_case() -> None:
    assert {key for key, _ in BAD_VALUES} == set(DEFAULTS)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"udsatte.start_age": 23}, "udsatte.start_age"),
        ({"udsatte.end_age": 15}, "udsatte.end_age"),
        ({"psykisk.end_age": 16}, "psykisk.end_age"),
    ],
    ids=["udsatte-start-not-before-end", "udsatte-end-not-after-start", "psykisk-end-not-after-min-age"],
)
def test_start_age_must_be_below_end_age(overrides: dict[str, object], named: str) -> None:
    with pytest.raises(SettingsError, match="skal være lavere end slutalderen") as caught:
        settings_from(overrides)
    assert caught.value.key == named


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(SettingsError, match="ukendt indstilling") as caught:
        settings_from({"soon_dayz": 5})
    assert caught.value.key == "soon_dayz"


def test_toml_flat_nested_and_dotted_keys() -> None:
    text = """
soon_days = 14
quarterly_mode = "ét pr. kvartal"
attendance_strict = false
m18_5.after_days = 45

[udsatte]
end_age = 22

[psykisk]
min_inclusion_age = 15

["m17_5"]
before_days = 90
"""
    settings = parse_settings_toml(text, source="regler.toml")
    assert settings == replace(
        DEFAULT_SETTINGS,
        soon_days=14,
        quarterly_mode="calendar",
        attendance_strict=False,
        m18_5_after_days=45,
        udsatte_end_age=22,
        psykisk_min_inclusion_age=15,
        m17_5_before_days=90,
    )


def test_toml_quoted_dotted_key() -> None:
    assert parse_settings_toml('"m16.before_days" = 10').m16_before_days == 10


def test_empty_toml_gives_defaults() -> None:
    assert parse_settings_toml("") == DEFAULT_SETTINGS


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[udsatte]\nend_agee = 22", "udsatte.end_agee"),
        ("soon_days = 500", "soon_days"),
        ('quarterly_mode = "hver uge"', "quarterly_mode"),
        ("[udsatte]\nend_age = 40", "udsatte.end_age"),
    ],
    ids=["unknown-key", "out-of-range", "unknown-mode", "nested-out-of-range"],
)
def test_toml_errors_name_the_setting(text: str, key: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings_toml(text, source="regler.toml")
    assert caught.value.key == key
    assert "regler.toml" in str(caught.value)


def test_invalid_toml_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="ikke gyldig TOML"):
        parse_settings_toml("soon_days = = 3", source="regler.toml")


@pytest.mark.parametrize(
    ("birth", "variant", "overrides", "expected"),
    [
        (date(2008, 5, 10), "udsatte", {}, date(2031, 5, 10)),
        (date(2008, 5, 10), "psykisk", {}, date(2033, 5, 10)),
        (date(2008, 2, 29), "udsatte", {}, date(2031, 2, 28)),
        (date(2008, 2, 29), "psykisk", {}, date(2033, 2, 28)),
        (date(2008, 5, 10), "psykisk", {"psykisk.end_age": 24}, date(2032, 5, 10)),
    ],
    ids=["udsatte-23", "psykisk-25", "udsatte-29-feb", "psykisk-29-feb", "psykisk-setting-24"],
)
def test_course_end(birth: date, variant: str, overrides: dict[str, object], expected: date) -> None:
    settings: Settings = settings_from(overrides)
    assert course_end(birth, variant, settings) == expected
    assert variant_end_age(settings, variant) == expected.year - birth.year


def test_unknown_variant() -> None:
    with pytest.raises(ValueError, match="unknown variant"):
        variant_end_age(DEFAULT_SETTINGS, "andet")
