"""A generated corpus of malformed and hostile workbooks (issue 6), shared by the hardening tests.

``build_corpus(folder)`` writes every variant and returns what each must produce. The test modules import it as
``corpus`` (pytest puts ``tests/`` on ``sys.path``) and build it once per session with the ``corpus`` fixture
from ``corpus.fixtures``.
"""

from .build import TODAY, ExpectedOutcome, Variant, build_corpus

__all__ = ["TODAY", "ExpectedOutcome", "Variant", "build_corpus"]
