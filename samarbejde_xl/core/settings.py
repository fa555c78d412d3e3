"""The model's rules as data: defaults from domain.md §2, overridable per municipality.

``DEFAULTS`` is keyed like ``schema.SETTINGS_ROWS`` (Indstillinger) and the batch TOML file.
"""

from __future__ import annotations

DEFAULTS: dict[str, object] = {
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
    "programme_counts_as_job": False,
}
