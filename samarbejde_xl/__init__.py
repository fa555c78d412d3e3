"""samarbejde-xl: Samarbejdsmodellen in Excel."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# openpyxl serialises with lxml when it is installed (the lossless writer needs lxml) and with the standard library
# otherwise; the two give different bytes. Pin the standard-library serialiser so templates, demo data and examples
# stay byte-reproducible whatever else is installed. (Set before anything imports openpyxl.)
os.environ.setdefault("OPENPYXL_LXML", "False")

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
