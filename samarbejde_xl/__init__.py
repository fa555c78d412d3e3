"""samarbejde-xl: Samarbejdsmodellen in Excel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "read_folder"]

if TYPE_CHECKING:
    from samarbejde_xl.tables import read_folder


def __getattr__(name: str) -> Any:
    # read_folder needs pandas: imported on first use, so the commands start without it.
    if name == "read_folder":
        from samarbejde_xl.tables import read_folder

        return read_folder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
