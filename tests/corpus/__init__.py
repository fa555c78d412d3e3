"""A generated corpus of malformed and hostile workbooks (issue 6), shared by the hardening tests.

``build_corpus(folder)`` writes every variant and returns what each must produce. The test modules import it as
``corpus`` (pytest puts ``tests/`` on ``sys.path``) and build it once per session with the ``corpus`` fixture
from ``corpus.fixtures``.
"""

from .build import PASSWORD, TODAY, ExpectedOutcome, Variant, build_corpus, variant_names

__all__ = ["PASSWORD", "TODAY", "ExpectedOutcome", "Variant", "build_corpus", "variant_names"]
