"""The one map of the workbooks: every sheet name, cell address, table column and dropdown list lives here.

The template builder, the reader, the validator, the refresh writer and the add-in all ask this package where
things are; ``from samarbejde_xl import schema; schema.X`` reaches everything. It is split by purpose:

- :mod:`.vocabulary`: value kinds and the coded dropdown lists with their Danish labels (what the rules need);
- :mod:`.cells`: A1 address arithmetic;
- :mod:`.layout`: the case workbook in the current template version (sheets, fields, blocks, columns, cells);
- :mod:`.history`: older template versions' layouts and what changed (migration facts);
- :mod:`.places`: logical places (field, block row and column, checklist cell, setting) a layout turns into cells;
- :mod:`.report`: the leader-group report's sheets;
- :mod:`.addin`: the ribbon and the add-in's own sheets;
- :mod:`.survey`: the professionals' survey workbook.

Texts users see are Danish; identifiers are English.
"""

from __future__ import annotations

from .addin import *  # noqa: F403
from .cells import *  # noqa: F403
from .history import *  # noqa: F403
from .layout import *  # noqa: F403
from .places import *  # noqa: F403
from .report import *  # noqa: F403
from .survey import *  # noqa: F403
from .vocabulary import *  # noqa: F403
