"""xlwings Lite scripts: one per ribbon action that makes sense without the classic add-in, each running the
classic add-in's own handler (``addin.ribbon``) on the workbook xlwings Lite hands it.

Diagnose is left out: it reports the local Python, xlwings and .xlam add-in, none of which exist in Lite
(xlwings Lite's own Output pane shows its versions). So is the managers' Kvartalsrapport
(``schema.MANAGER_BUTTONS``): Lite can neither show a folder picker nor read a folder of workbooks. The handlers
module is imported when a script runs, not here, so the worksheet functions load even where a handler's imports
cannot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xlwings as xw

from samarbejde_xl import schema

SCRIPT_FUNCTIONS: dict[str, str] = {
    "NewCase": "new_case",
    "RegisterMeeting": "register_meeting",
    "Validate": "validate",
    "RefreshPlan": "refresh_plan",
    "Overview": "overview",
    "Help": "show_help",
}
"""Control id -> the script's function name in main.py (xlwings Lite lists a script by its ``name``)."""

LITE_ACTIONS: tuple[str, ...] = tuple(SCRIPT_FUNCTIONS)
"""Ribbon control ids that get a script, in the ribbon's order."""

_BUTTONS = {button.control_id: button for button in schema.RIBBON_BUTTONS}


def run_action(control_id: str, book: Any) -> str:
    """Run the classic add-in's handler for ``control_id`` on ``book``; its message goes to Excel as an alert."""
    from samarbejde_xl.addin import ribbon

    return ribbon.on_ribbon_action(control_id, book)


def _script(control_id: str) -> Callable[[Any], None]:
    def script(book: xw.Book) -> None:
        run_action(control_id, book)

    script.__name__ = script.__qualname__ = SCRIPT_FUNCTIONS[control_id]
    script.__doc__ = _BUTTONS[control_id].screentip
    decorated: Callable[[Any], None] = xw.script(name=_BUTTONS[control_id].label)(script)
    return decorated


new_case = _script("NewCase")
register_meeting = _script("RegisterMeeting")
validate = _script("Validate")
refresh_plan = _script("RefreshPlan")
overview = _script("Overview")
show_help = _script("Help")
