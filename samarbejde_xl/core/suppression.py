"""Small-cell suppression for figures that leave the organisation (directors, politicians).

Counts from 1 to ``min_count - 1`` are hidden (*primary* suppression); 0 is shown, as Statistics Denmark does.
Where a table publishes totals, hiding one cell is not enough: it could be recomputed from the total and the
visible cells. *Complementary* suppression hides more cells until no hidden cell can be recomputed exactly from the
published totals and the visible cells.

A table with totals is treated as its extended grid (inner cells, the totals column, the totals row and the grand
total). Each row of the grid is a sum constraint when the table has row totals, each column one when it has column
totals. With only one kind of totals a hidden cell is safe exactly when its line holds another hidden cell. With both,
the hidden cells are the edges of a bipartite graph (rows and columns as vertices) and a hidden cell is safe exactly
when it lies on a cycle of hidden cells: only then can values move around the cycle (+d, -d, ...) without changing
any total. The algorithm adds the smallest visible cells (inner cells before totals, positive counts before zeros)
until every line has 0 or at least 2 hidden cells and no hidden cell is a bridge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_MIN_COUNT = 5

Cell = tuple[int, int]


def is_small(count: int, min_count: int = DEFAULT_MIN_COUNT) -> bool:
    """True for a count that must be hidden on its own: 1 .. min_count-1 (0 is shown)."""
    return 0 < count < min_count


def suppress_count(count: int, min_count: int = DEFAULT_MIN_COUNT) -> int | None:
    """A single count without totals: ``None`` when it is small."""
    return None if is_small(count, min_count) else count


@dataclass(frozen=True)
class SuppressedTable:
    """A table after suppression: ``None`` marks a hidden value. Totals are ``None`` when the table has none
    of that kind, or when they are hidden (tell the two apart with ``has_row_totals`` / ``has_column_totals``)."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]  # one per row; empty when the table has no totals column
    column_totals: tuple[int | None, ...]  # one per column; empty when the table has no totals row
    grand_total: int | None
    has_row_totals: bool
    has_column_totals: bool

    def grid(self) -> list[list[int | None]]:
        """The extended grid: inner cells, then the totals column; the totals row last."""
        rows: list[list[int | None]] = []
        for index, row in enumerate(self.cells):
            rows.append([*row, self.row_totals[index]] if self.has_row_totals else list(row))
        if self.has_column_totals:
            last = [*self.column_totals, self.grand_total] if self.has_row_totals else list(self.column_totals)
            rows.append(last)
        return rows

    @property
    def hidden_count(self) -> int:
        return sum(value is None for row in self.grid() for value in row)


def _extended_grid(rows: Sequence[Sequence[int]], row_totals: bool, column_totals: bool) -> list[list[int]]:
    width = len(rows[0]) if rows else 0
    grid = [list(row) + ([sum(row)] if row_totals else []) for row in rows]
    if column_totals:
        sums = [sum(row[col] for row in rows) for col in range(width)]
        grid.append(sums + ([sum(sums)] if row_totals else []))
    return grid


def _lines(height: int, width: int, by_row: bool, by_column: bool) -> list[list[Cell]]:
    lines: list[list[Cell]] = []
    if by_row:
        lines.extend([(row, col) for col in range(width)] for row in range(height))
    if by_column:
        lines.extend([(row, col) for row in range(height)] for col in range(width))
    return lines


class _Suppressor:
    def __init__(self, grid: list[list[int]], inner_height: int, inner_width: int, by_row: bool, by_column: bool):
        self.grid = grid
        self.inner_height = inner_height
        self.inner_width = inner_width
        self.by_row = by_row
        self.by_column = by_column
        self.height = len(grid)
        self.width = len(grid[0]) if grid else 0
        self.lines = _lines(self.height, self.width, by_row, by_column)
        self.hidden: set[Cell] = set()

    def _preference(self, cell: Cell) -> tuple[bool, bool, int, int, int]:
        row, col = cell
        value = self.grid[row][col]
        is_total = row >= self.inner_height or col >= self.inner_width
        return (is_total, value == 0, value, row, col)

    def _hide_best(self, candidates: Iterable[Cell]) -> bool:
        visible = [cell for cell in candidates if cell not in self.hidden]
        if not visible:
            return False
        self.hidden.add(min(visible, key=self._preference))
        return True

    def _fix_lonely_cells(self) -> bool:
        """Hide one more cell in every line that has exactly one hidden cell; True when something changed."""
        changed = False
        for line in self.lines:
            if sum(cell in self.hidden for cell in line) == 1:
                changed |= self._hide_best(line)
        return changed

    def _component(self, start: tuple[str, int], without: Cell) -> set[tuple[str, int]]:
        """Row/column vertices reachable from ``start`` over hidden cells other than ``without``."""
        seen = {start}
        todo = [start]
        while todo:
            kind, index = todo.pop()
            for row, col in self.hidden:
                if (row, col) == without:
                    continue
                if kind == "row" and row == index:
                    neighbour = ("col", col)
                elif kind == "col" and col == index:
                    neighbour = ("row", row)
                else:
                    continue
                if neighbour not in seen:
                    seen.add(neighbour)
                    todo.append(neighbour)
        return seen

    def _fix_one_bridge(self) -> bool:
        """Close a cycle through the first hidden cell that lies on none; True when something changed."""
        for cell in sorted(self.hidden):
            row, col = cell
            row_side = self._component(("row", row), cell)
            if ("col", col) in row_side:
                continue
            col_side = self._component(("col", col), cell)
            candidates = [
                (r, c)
                for r in range(self.height)
                for c in range(self.width)
                if (("row", r) in row_side and ("col", c) in col_side)
                or (("row", r) in col_side and ("col", c) in row_side)
            ]
            candidates = [candidate for candidate in candidates if candidate != cell]
            if self._hide_best(candidates):
                return True
        return False

    def run(self, min_count: int) -> set[Cell]:
        self.hidden = {
            (row, col)
            for row in range(self.height)
            for col in range(self.width)
            if is_small(self.grid[row][col], min_count)
        }
        while True:
            while self._fix_lonely_cells():
                pass
            if not (self.by_row and self.by_column and self._fix_one_bridge()):
                return self.hidden


def suppress_table(
    rows: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    min_count: int = DEFAULT_MIN_COUNT,
) -> SuppressedTable:
    """Suppress a table of counts and the totals it publishes.

    ``rows`` are the inner cells (all rows the same length, counts >= 0). ``row_totals``: the table shows a total
    per row (a totals column); ``column_totals``: a total per column (a totals row, and a grand total when both).
    Totals are computed here, never taken from the caller, so they always add up.
    """
    if any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("all rows must have the same number of cells")
    if any(value < 0 for row in rows for value in row):
        raise ValueError("counts must be >= 0")
    height = len(rows)
    width = len(rows[0]) if rows else 0
    grid = _extended_grid(rows, row_totals, column_totals)
    hidden = _Suppressor(grid, height, width, row_totals, column_totals).run(min_count) if width else set()

    def shown(row: int, col: int) -> int | None:
        return None if (row, col) in hidden else grid[row][col]

    cells = tuple(tuple(shown(row, col) for col in range(width)) for row in range(height))
    totals_column = tuple(shown(row, width) for row in range(height)) if row_totals and width else ()
    totals_row = tuple(shown(height, col) for col in range(width)) if column_totals and width else ()
    grand = shown(height, width) if row_totals and column_totals and width else None
    return SuppressedTable(cells, totals_column, totals_row, grand, row_totals and bool(width), column_totals)


def suppress_counts(counts: Sequence[int], *, min_count: int = DEFAULT_MIN_COUNT) -> SuppressedTable:
    """One row of counts with its total (e.g. the seven outcome categories and 'i alt')."""
    return suppress_table([list(counts)], row_totals=True, column_totals=False, min_count=min_count)


def share(count: int | None, total: int | None) -> float | None:
    """``count / total``; ``None`` when either is hidden or the total is 0 (a share of a hidden count is hidden)."""
    if count is None or total is None or total == 0:
        return None
    return count / total
