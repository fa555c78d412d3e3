"""Byte code as a user's installation has it, for the benchmarks' timed processes (issue 17).

pip compiles a package's modules to .pyc when it installs it, so a user's command or consolidation never compiles
our source. With PYTHONDONTWRITEBYTECODE set (as on the shared development machine) and an editable install, every
fresh process would compile every module it imports again: about 40 % of ``validate``'s time, and about 40 ms of a
consolidation's serial tail (the report writer is imported only when it writes). Timed processes therefore run with
byte code kept in a private folder (PYTHONPYCACHEPREFIX), after an untimed run that compiles what they import (with
a prefix set, Python reads no other byte code: the standard library's is compiled there too).
"""

from __future__ import annotations

import os
from pathlib import Path


def installed_environment(pycache: Path, python_path: Path | None = None) -> dict[str, str]:
    """This process's environment with byte code read from and written to ``pycache`` (and ``python_path`` first
    on the module path, when given)."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPYCACHEPREFIX"] = os.fspath(pycache)
    if python_path is not None:
        environment["PYTHONPATH"] = os.fspath(python_path)
    return environment
