"""Small-cell suppression for figures that leave the organisation (directors, politicians).

Counts from 1 to ``min_count - 1`` (m - 1 below) are hidden (*primary* suppression); 0 is shown, as Statistics
Denmark does. Where a table publishes totals, hiding one cell is not enough: it could be worked out from the total
and the visible cells. *Complementary* suppression hides more cells.

**Markers.** A report shows a primary cell as ``<m`` ("<5") and every other hidden value as "x";
:attr:`SuppressedTable.primary` names the cells to mark ``<m``. A reader who knows the rules knows more than
"hidden": a "<5" cell is 1..4, and an "x" inner cell is 0 or at least 5 (else it would show "<5"). A hidden total
("x") may be anything; hiding it removes its sum constraint. With m = 2 the marker "<2" itself says 1.

**Tables with one kind of totals** (a total per row, or a total per column, or several tables that split the same
population and so share their column totals: :func:`suppress_shared_totals`). Every inner cell lies on exactly one
sum *line*; a *group* of lines shares one total (a group of one line for a single table). The audit is exact for
the knowledge above: for every primary cell and every value v in 1..m-1 there must be an assignment of the other
hidden cells of its group (primary cells in 1..m-1, complementary cells in {0} ∪ [m, ∞)) that matches every visible
value and visible total. Then the published group tells nothing about a primary cell beyond "between 1 and m-1".
Sums of k primary and j complementary cells cover exactly [k, k(m-1)] ∪ [k+m, ∞) (the second part only when
j > 0), so each check is a few interval intersections. While a line fails, one more visible inner cell of it is
hidden: one whose hiding makes the audit pass if there is one, else the smallest positive count; zeros last. When
even hiding every inner cell of the line would not pass, its total is hidden instead (in every table of a shared
group), which keeps the inner cells that would not have helped. With a shared total hidden, the lines of the group
still constrain each other (they add up to the same unknown total), and cells anywhere in the group are hidden the
same way. If a group still fails with everything hidden (possible only when a line consists of small counts alone,
e.g. 2 + 2 split as 1 + 1 + 1 + 1), its cells lose the ``<m`` marker. The group then shows nothing but "x" (any
other group with hidden cells shows a ``<m``), and with every value and the total open nothing can be worked out.

Only the sums declared here are audited. Relations between separate tables (one count nested in another, one count
bounded by another) are the caller's to declare, e.g. by suppressing nested counts as one table with both totals.

**Tables with both row and column totals** (2-D) keep the earlier, weaker rule and mark every hidden value "x"
(``primary`` is empty): the table is treated as its extended grid (inner cells, totals column, totals row, grand
total). The hidden cells are the edges of a bipartite graph (rows and columns as vertices), and a hidden cell is
safe when it lies on a cycle of hidden cells: only then can values move around the cycle (+d, -d, ...) without
changing any total, so no hidden value follows exactly from the totals. Bounds from non-negativity are not audited
there, which is why such a table shows no ``<m`` marker. The algorithm adds the smallest visible cells (inner cells
before totals, positive counts before zeros) until every line has 0 or at least 2 hidden cells and no hidden cell
is a bridge.

A table without totals only hides its small cells (all primary).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

DEFAULT_MIN_COUNT = 5

Cell = tuple[int, int]
_Key = tuple[int, int, int]  # (table, row, column) in the extended grid of that table
_Interval = tuple[int, int | None]  # inclusive bounds; None = no upper bound


def is_small(count: int, min_count: int = DEFAULT_MIN_COUNT) -> bool:
    """True for a count that must be hidden on its own: 1 .. min_count-1 (0 is shown)."""
    return 0 < count < min_count


def suppress_count(count: int, min_count: int = DEFAULT_MIN_COUNT) -> int | None:
    """A single count without totals: ``None`` when it is small."""
    return None if is_small(count, min_count) else count


@dataclass(frozen=True)
class SuppressedTable:
    """A table after suppression: ``None`` marks a hidden value. Totals are ``None`` when the table has none
    of that kind, or when they are hidden (tell the two apart with ``has_row_totals`` / ``has_column_totals``).

    ``primary``: the hidden cells (extended-grid coordinates, as in :meth:`grid`) that are small themselves and are
    shown as ``<min_count``; every other hidden value is shown as "x". Never holds a total; empty for a table with
    both row and column totals."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]  # one per row; empty when the table has no totals column
    column_totals: tuple[int | None, ...]  # one per column; empty when the table has no totals row
    grand_total: int | None
    has_row_totals: bool
    has_column_totals: bool
    primary: frozenset[Cell] = frozenset()

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

    def is_primary(self, row: int, col: int) -> bool:
        """True when the hidden value at (row, col) of the extended grid is shown as ``<min_count``."""
        return (row, col) in self.primary


def _extended_grid(
    rows: Sequence[Sequence[int]], row_totals: bool, column_totals: bool, width: int | None = None
) -> list[list[int]]:
    width = width if width is not None else len(rows[0]) if rows else 0
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


# --------------------------------------------------------------------------------------------------
# Tables with one kind of totals: an exact audit of sum lines
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """Lines (lists of inner cells) that add up to the same total; ``totals`` are the cells that show it."""

    lines: tuple[tuple[_Key, ...], ...]
    totals: tuple[_Key, ...]
    total: int


def _hidden_sums(primaries: int, complements: int, min_count: int) -> list[_Interval]:
    """Every sum of ``primaries`` cells in 1..m-1 plus ``complements`` cells in {0} ∪ [m, ∞)."""
    sums: list[_Interval] = [(primaries, primaries * (min_count - 1))]
    if complements:
        sums.append((primaries + min_count, None))
    return sums


def _shifted(intervals: list[_Interval], by: int) -> list[_Interval]:
    return [(low + by, None if high is None else high + by) for low, high in intervals]


def _intersection(first: list[_Interval], second: list[_Interval]) -> list[_Interval]:
    result: list[_Interval] = []
    for low_a, high_a in first:
        for low_b, high_b in second:
            low = max(low_a, low_b)
            highs = [high for high in (high_a, high_b) if high is not None]
            high = min(highs) if highs else None
            if high is None or low <= high:
                result.append((low, high))
    return result


def _contains(intervals: list[_Interval], value: int) -> bool:
    return any(low <= value and (high is None or value <= high) for low, high in intervals)


class _LineSuppressor:
    """Primary and complementary suppression of independent groups of sum lines, audited exactly."""

    def __init__(self, values: dict[_Key, int], groups: Sequence[_Group], min_count: int) -> None:
        self.values = values
        self.groups = groups
        self.min_count = min_count
        self.hidden = {key for key, value in values.items() if is_small(value, min_count)}
        totals = {key for group in groups for key in group.totals}
        self.primary = {key for key in self.hidden if key not in totals}

    def _line_state(self, line: Sequence[_Key], hidden: set[_Key]) -> tuple[int, int, int]:
        """(sum of the visible cells, number of hidden primary cells, number of hidden complementary cells)."""
        visible = sum(self.values[key] for key in line if key not in hidden)
        primaries = sum(key in hidden and key in self.primary for key in line)
        complements = sum(key in hidden and key not in self.primary for key in line)
        return visible, primaries, complements

    def _line_passes(self, line: Sequence[_Key], total: int, hidden: set[_Key]) -> bool:
        """With its total visible: every primary cell of the line can take every value 1..m-1."""
        visible, primaries, complements = self._line_state(line, hidden)
        if not primaries:
            return True
        rest = _hidden_sums(primaries - 1, complements, self.min_count)
        return all(_contains(rest, total - visible - value) for value in range(1, self.min_count))

    def _passes(self, group: _Group, hidden: set[_Key]) -> bool:
        if group.totals[0] not in hidden:
            return all(self._line_passes(line, group.total, hidden) for line in group.lines)
        # A hidden total: each line still says "my cells add up to the same (unknown) total as the others".
        states = [self._line_state(line, hidden) for line in group.lines]
        possible_totals = [_shifted(_hidden_sums(p, c, self.min_count), v) for v, p, c in states]
        for index, (visible, primaries, complements) in enumerate(states):
            if not primaries:
                continue
            others: list[_Interval] = [(0, None)]
            for other, totals in enumerate(possible_totals):
                if other != index:
                    others = _intersection(others, totals)
            rest = _hidden_sums(primaries - 1, complements, self.min_count)
            for value in range(1, self.min_count):
                if not _intersection(_shifted(rest, visible + value), others):
                    return False
        return True

    def _visible_inner(self, lines: Iterable[Sequence[_Key]]) -> list[_Key]:
        return [key for line in lines for key in line if key not in self.hidden]

    def _hide_one(self, candidates: list[_Key], passes: Callable[[set[_Key]], bool]) -> None:
        """Hide the candidate that makes ``passes`` true if any, else the smallest positive count (zeros last)."""

        def preference(key: _Key) -> tuple[bool, bool, int, _Key]:
            value = self.values[key]
            return (not passes(self.hidden | {key}), value == 0, value, key)

        self.hidden.add(min(candidates, key=preference))

    def _protect(self, group: _Group) -> None:
        while not self._passes(group, self.hidden):
            if group.totals[0] not in self.hidden:
                line = next(line for line in group.lines if not self._line_passes(line, group.total, self.hidden))
                candidates = self._visible_inner([line])
                if self._line_passes(line, group.total, self.hidden | set(candidates)):
                    self._hide_one(candidates, partial(self._line_passes, line, group.total))
                else:  # no choice of inner cells can protect it: the total goes (in every table that shows it)
                    self.hidden.update(group.totals)
                continue
            candidates = self._visible_inner(group.lines)
            if candidates:
                self._hide_one(candidates, partial(self._passes, group))
            else:  # everything is hidden and the markers still say too much: show "x" for the whole group
                self.primary.difference_update(key for line in group.lines for key in line)
                return

    def run(self) -> tuple[set[_Key], set[_Key]]:
        """(hidden cells, hidden cells marked as primary)."""
        for group in self.groups:
            self._protect(group)
        return self.hidden, self.primary


# --------------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------------


def _check_counts(rows: Sequence[Sequence[int]]) -> None:
    if any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("all rows must have the same number of cells")
    if any(value < 0 for row in rows for value in row):
        raise ValueError("counts must be >= 0")


def _assemble(
    grid: list[list[int]],
    height: int,
    width: int,
    row_totals: bool,
    column_totals: bool,
    hidden: set[Cell],
    primary: set[Cell],
) -> SuppressedTable:
    def shown(row: int, col: int) -> int | None:
        return None if (row, col) in hidden else grid[row][col]

    cells = tuple(tuple(shown(row, col) for col in range(width)) for row in range(height))
    totals_column = tuple(shown(row, width) for row in range(height)) if row_totals and width else ()
    totals_row = tuple(shown(height, col) for col in range(width)) if column_totals and width else ()
    grand = shown(height, width) if row_totals and column_totals and width else None
    return SuppressedTable(
        cells, totals_column, totals_row, grand, row_totals and bool(width), column_totals, frozenset(primary)
    )


def _cells_of(keys: Iterable[_Key], table: int = 0) -> set[Cell]:
    return {(row, col) for index, row, col in keys if index == table}


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
    Totals are computed here, never taken from the caller, so they always add up. With one kind of totals the
    result is audited exactly and small cells are marked (``primary``); with both, see the module docstring.
    """
    _check_counts(rows)
    height = len(rows)
    width = len(rows[0]) if rows else 0
    grid = _extended_grid(rows, row_totals, column_totals)
    hidden: set[Cell] = set()
    primary: set[Cell] = set()
    if width and row_totals and column_totals:
        hidden = _Suppressor(grid, height, width, row_totals, column_totals).run(min_count)
    elif width:
        values = {(0, row, col): value for row, line in enumerate(grid) for col, value in enumerate(line)}
        groups: list[_Group] = []
        if row_totals:
            groups = [
                _Group((tuple((0, row, col) for col in range(width)),), ((0, row, width),), grid[row][width])
                for row in range(height)
            ]
        elif column_totals:
            groups = [
                _Group((tuple((0, row, col) for row in range(height)),), ((0, height, col),), grid[height][col])
                for col in range(width)
            ]
        hidden_keys, primary_keys = _LineSuppressor(values, groups, min_count).run()
        hidden, primary = _cells_of(hidden_keys), _cells_of(primary_keys)
    return _assemble(grid, height, width, row_totals, column_totals, hidden, primary)


def suppress_counts(counts: Sequence[int], *, min_count: int = DEFAULT_MIN_COUNT) -> SuppressedTable:
    """One row of counts with its total (e.g. the seven outcome categories and 'i alt')."""
    return suppress_table([list(counts)], row_totals=True, column_totals=False, min_count=min_count)


def suppress_shared_totals(
    tables: Sequence[Sequence[Sequence[int]]], *, min_count: int = DEFAULT_MIN_COUNT
) -> tuple[SuppressedTable, ...]:
    """Tables with a totals row that split the same population in different ways (e.g. by variant and by age band):
    column ``c`` of every table adds up to the same total, so a total hidden in one table could be read off another,
    and the columns constrain each other even when the total is hidden. They are suppressed together: a total is
    hidden in all tables or in none. Raises ValueError when the tables differ in width or column sums."""
    for rows in tables:
        _check_counts(rows)
    widths = {len(rows[0]) for rows in tables if rows}
    if len(widths) > 1:
        raise ValueError("all tables must have the same number of columns")
    width = widths.pop() if widths else 0
    grids = [_extended_grid(rows, False, True, width) for rows in tables]
    if len({tuple(grid[-1]) for grid in grids}) > 1:
        raise ValueError("the tables must have the same column totals")
    values = {
        (table, row, col): value
        for table, grid in enumerate(grids)
        for row, line in enumerate(grid)
        for col, value in enumerate(line)
    }
    groups = [
        _Group(
            tuple(tuple((table, row, col) for row in range(len(rows))) for table, rows in enumerate(tables)),
            tuple((table, len(rows), col) for table, rows in enumerate(tables)),
            grids[0][-1][col],
        )
        for col in range(width)
    ]
    hidden, primary = _LineSuppressor(values, groups, min_count).run() if groups else (set(), set())
    return tuple(
        _assemble(grid, len(rows), width, False, True, _cells_of(hidden, table), _cells_of(primary, table))
        for table, (grid, rows) in enumerate(zip(grids, tables, strict=True))
    )
