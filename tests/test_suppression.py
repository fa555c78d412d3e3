"""Small-cell suppression: primary (1-4 hidden, shown as "<5") and complementary ("x": nothing about a small count
can be worked out from the totals)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from samarbejde_xl.core.figures import share
from samarbejde_xl.core.suppression import (
    SuppressedTable,
    is_small,
    suppress_count,
    suppress_counts,
    suppress_shared_totals,
    suppress_table,
)


def _constraint_lines(table: SuppressedTable) -> list[list[tuple[int, int]]]:
    grid = table.grid()
    height, width = len(grid), len(grid[0])
    lines: list[list[tuple[int, int]]] = []
    if table.has_row_totals:
        lines += [[(r, c) for c in range(width)] for r in range(height)]
    if table.has_column_totals:
        lines += [[(r, c) for r in range(height)] for c in range(width)]
    return lines


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for col in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[rank][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def recoverable_cells(table: SuppressedTable) -> list[tuple[int, int]]:
    """Hidden cells whose value follows exactly from the sum constraints (linear algebra, independent oracle).

    Each line of the extended grid says: inner cells - total = 0. With visible values moved to the right-hand side,
    a hidden cell is determined exactly when its unit vector lies in the row space of the hidden part.
    """
    grid = table.grid()
    hidden = [(r, c) for r, row in enumerate(grid) for c, value in enumerate(row) if value is None]
    if not hidden:
        return []
    height, width = len(grid), len(grid[0])
    matrix: list[list[Fraction]] = []
    for line in _constraint_lines(table):
        total_cell = line[-1]
        coefficients = []
        for cell in hidden:
            if cell not in line:
                coefficients.append(Fraction(0))
            else:
                coefficients.append(Fraction(-1) if cell == total_cell else Fraction(1))
        matrix.append(coefficients)
    assert height and width
    base_rank = _rank(matrix) if matrix else 0
    determined = []
    for index, cell in enumerate(hidden):
        unit = [Fraction(1) if i == index else Fraction(0) for i in range(len(hidden))]
        if _rank([*matrix, unit]) == base_rank:
            determined.append(cell)
    return determined


@pytest.mark.parametrize(
    ("count", "hidden"),
    [(0, False), (1, True), (4, True), (5, False), (17, False)],
    ids=["zero-shown", "one", "four", "five", "many"],
)
def test_single_count(count: int, hidden: bool) -> None:
    assert is_small(count) is hidden
    assert suppress_count(count) == (None if hidden else count)


def test_min_count_is_a_parameter() -> None:
    assert suppress_count(7, min_count=10) is None
    assert suppress_count(7, min_count=3) == 7


CASES = [
    # (rows, row_totals, column_totals, expected grid)
    ([[20, 30, 40]], True, False, [[20, 30, 40, 90]]),
    ([[3, 30, 40]], True, False, [[None, None, 40, 73]]),
    ([[3, 0, 40]], True, False, [[None, 0, None, 43]]),  # next-smallest positive cell, zero stays visible
    ([[3, 2, 40]], True, False, [[None, None, 40, 45]]),  # two small cells protect each other
    ([[3, 40]], True, False, [[None, None, 43]]),
    ([[3]], True, False, [[None, None]]),  # a lone cell equals its total: the total goes too
    ([[3, 0]], True, False, [[None, 0, None]]),  # total 3 is small itself
    ([[10, 20], [30, 40]], True, True, [[10, 20, 30], [30, 40, 70], [40, 60, 100]]),
    ([[3, 20], [30, 40]], True, True, [[None, None, 23], [None, None, 70], [33, 60, 93]]),
    ([[3, 20, 9], [30, 40, 50]], True, True, [[None, 20, None, 32], [None, 40, None, 120], [33, 60, 59, 152]]),
    ([[1, 2], [3, 4]], False, False, [[None, None], [None, None]]),
    ([[0, 0], [0, 0]], True, True, [[0, 0, 0], [0, 0, 0], [0, 0, 0]]),
]


@pytest.mark.parametrize(
    ("rows", "row_totals", "column_totals", "expected"),
    CASES,
    ids=[
        "nothing-small",
        "one-small-in-row",
        "zero-not-used-as-complement",
        "two-small",
        "two-cells",
        "single-cell",
        "small-total",
        "2x2-nothing-small",
        "2x2-one-small",
        "2x3-one-small-rectangle",
        "no-totals-primary-only",
        "all-zero",
    ],
)
def test_suppress_table_examples(
    rows: list[list[int]], row_totals: bool, column_totals: bool, expected: list[list[int | None]]
) -> None:
    table = suppress_table(rows, row_totals=row_totals, column_totals=column_totals)
    assert table.grid() == expected
    assert recoverable_cells(table) == []


def _published(table: SuppressedTable, min_count: int) -> list[list[int | str]]:
    """The extended grid as a reader sees it: values, "<m" for primary cells, "x" for every other hidden value."""
    return [
        [
            value if value is not None else f"<{min_count}" if table.is_primary(row, col) else "x"
            for col, value in enumerate(cells)
        ]
        for row, cells in enumerate(table.grid())
    ]


MARKED_LINES = [
    # (counts, min_count, published line with its total), each checked by hand
    # The example: x would be 0 or >= 5, so "<5", x | 6 forces 1 + 5. No inner cell helps: the total goes.
    ([1, 5], 5, ["<5", 5, "x"]),
    ([3, 30, 40], 5, ["<5", "x", 40, 73]),  # <5 + x = 33: x = 29..32 fits every value 1..4
    ([3, 6], 5, ["<5", "x", 9]),  # x = 8..5
    ([4, 5], 5, ["<5", "x", 9]),
    ([3, 2, 40], 5, ["<5", "<5", 40, 45]),  # two small cells adding up to 5: each can be 1..4
    ([1, 44, 7, 2, 3, 3, 11], 5, ["<5", 44, 7, "<5", "<5", "<5", 11, 71]),  # four small cells add up to 9
    ([3, 0, 40], 5, ["<5", 0, "x", 43]),  # the positive cell, not the zero
    ([2, 5, 0], 5, ["<5", 5, 0, "x"]),  # x, x | 7 - v cannot be 4 = 7 - 3: even hiding both would not do
    ([3, 0], 5, ["<5", 0, "x"]),  # a small total is hidden itself
    ([3, 6], 3, [3, 6, 9]),
    ([2, 6], 3, ["<3", "x", 8]),
    ([1, 5], 2, ["<2", 5, 6]),  # with min_count 2 the marker itself says 1: nothing more to hide
    ([0, 0, 9], 5, [0, 0, 9, 9]),
]


@pytest.mark.parametrize(
    ("counts", "min_count", "published"),
    MARKED_LINES,
    ids=[
        "issue-1-5-total-6",
        "complement-next-smallest",
        "complement-5-to-8",
        "complement-exactly-5",
        "two-small-protect-each-other",
        "four-small-outcomes",
        "zero-not-used-as-complement",
        "total-instead-of-two-cells",
        "small-total",
        "min-count-3-nothing-small",
        "min-count-3",
        "min-count-2",
        "zeros",
    ],
)
def test_marked_lines(counts: list[int], min_count: int, published: list[int | str]) -> None:
    assert _published(suppress_counts(counts, min_count=min_count), min_count) == [published]


def test_column_totals_are_lines_too() -> None:
    table = suppress_table([[3, 20], [6, 0], [30, 7]], row_totals=False, column_totals=True)
    assert _published(table, 5) == [["<5", 20], ["x", 0], [30, 7], [39, 27]]


def test_a_table_with_both_totals_marks_every_hidden_value_x() -> None:
    table = suppress_table([[3, 20], [30, 40]])
    assert table.primary == frozenset()
    assert _published(table, 5) == [["x", "x", 23], ["x", "x", 70], [33, 60, 93]]


def test_a_table_without_totals_marks_its_small_cells() -> None:
    assert _published(suppress_table([[1, 7], [0, 4]], row_totals=False, column_totals=False), 5) == [
        ["<5", 7],
        [0, "<5"],
    ]


def test_shared_totals_are_hidden_together() -> None:
    # Column 0 adds up to 8 in both: "<5" + 5 = 8 would give 3 away, and hiding the 5 cannot help (x = 5 forces 3),
    # so the total goes - in both tables - and the second table's lone 8 (the total again) goes too.
    # Column 1 adds up to 1: small, hidden; the small cells still fit every value 1..4 together.
    first, second = suppress_shared_totals([[[3, 1], [5, 0]], [[8, 1]]])
    assert _published(first, 5) == [["<5", "<5"], [5, 0], ["x", "x"]]
    assert _published(second, 5) == [["x", "<5"], ["x", "x"]]


def test_caseload_by_variant_and_age_band() -> None:
    by_variant = [[38, 6, 3], [14, 3, 1]]
    by_age = [[20, 6, 0], [24, 3, 1], [8, 0, 3]]
    variant, age = suppress_shared_totals([by_variant, by_age])
    assert _published(variant, 5) == [[38, "x", "<5"], [14, "<5", "<5"], [52, 9, "x"]]
    assert _published(age, 5) == [[20, "x", 0], [24, "<5", "<5"], [8, 0, "<5"], [52, 9, "x"]]


def test_a_group_that_markers_would_give_away_shows_only_x() -> None:
    # 2 + 2 beside 1 + 1 + 1 + 1 (min_count 3): with "<3" markers the four cells say the total is at least 4 and
    # the two say at most 4, so both would be 2, whatever else is hidden. Everything shows "x" instead.
    first, second = suppress_shared_totals([[[2], [2]], [[1], [1], [1], [1]]], min_count=3)
    assert _published(first, 3) == [["x"], ["x"], ["x"]]
    assert _published(second, 3) == [["x"]] * 5


def test_shared_totals_must_agree() -> None:
    with pytest.raises(ValueError, match="column totals"):
        suppress_shared_totals([[[1, 2]], [[2, 2]]])
    with pytest.raises(ValueError, match="number of columns"):
        suppress_shared_totals([[[1, 2]], [[3]]])


def test_bridge_between_two_rectangles_is_closed() -> None:
    # Two 2x2 rectangles of small cells joined by one more small cell (row 0, column 3): every line already hides
    # two or more cells, yet the joining cell lies on no cycle and follows from the totals. It needs another cell.
    rows = [
        [1, 1, 50, 1, 50],
        [1, 1, 50, 50, 50],
        [50, 50, 50, 1, 1],
        [50, 50, 50, 1, 1],
    ]
    primary_only = suppress_table(rows, row_totals=False, column_totals=False)
    assert primary_only.hidden_count == 9
    table = suppress_table(rows)
    assert recoverable_cells(table) == []
    assert table.hidden_count > 9


def test_visible_cells_keep_their_values_and_totals_add_up() -> None:
    table = suppress_table([[3, 20, 9], [30, 40, 50]])
    assert table.cells[1][1] == 40
    assert table.column_totals == (33, 60, 59)
    assert table.row_totals == (32, 120)
    assert table.hidden_count == 4


def test_suppress_counts_is_one_row_with_total() -> None:
    table = suppress_counts([1, 44, 7, 2, 3, 3, 11])
    assert table.has_row_totals and not table.has_column_totals
    assert table.row_totals == (71,)
    assert table.cells[0] == (None, 44, 7, None, None, None, 11)


def test_ragged_or_negative_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError, match=">= 0"):
        suppress_table([[1, -2]])


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(3, 10, 0.3), (None, 10, None), (3, None, None), (0, 0, None)],
    ids=["visible", "hidden-count", "hidden-total", "zero-total"],
)
def test_share(count: int | None, total: int | None, expected: float | None) -> None:
    assert share(count, total) == expected


small_biased_counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def count_tables(draw: st.DrawFn) -> list[list[int]]:
    height = draw(st.integers(1, 4))
    width = draw(st.integers(1, 5))
    return [[draw(small_biased_counts) for _ in range(width)] for _ in range(height)]


@settings(max_examples=150, deadline=None)
@example(
    rows=[[1, 1, 50, 1, 50], [1, 1, 50, 50, 50], [50, 50, 50, 1, 1], [50, 50, 50, 1, 1]],
    row_totals=True,
    column_totals=True,
    min_count=5,
)
@given(
    rows=count_tables(),
    row_totals=st.booleans(),
    column_totals=st.booleans(),
    min_count=st.integers(2, 6),
)
def test_no_hidden_cell_can_be_recomputed(
    rows: list[list[int]], row_totals: bool, column_totals: bool, min_count: int
) -> None:
    table = suppress_table(rows, row_totals=row_totals, column_totals=column_totals, min_count=min_count)
    grid = table.grid()
    full = suppress_table(rows, row_totals=row_totals, column_totals=column_totals, min_count=0).grid()
    # Every small count (inner or total) is hidden; every visible value is the true value.
    for shown_row, true_row in zip(grid, full, strict=True):
        for shown, true in zip(shown_row, true_row, strict=True):
            assert true is not None
            if 0 < true < min_count:
                assert shown is None
            assert shown is None or shown == true
    # Complementary suppression: nothing hidden follows from the published totals. (With one kind of totals and
    # min_count 2 the marker "<2" itself says 1, so a lone hidden 1 is allowed there: see the attacker tests.)
    if min_count >= 3 or (row_totals and column_totals):
        assert recoverable_cells(table) == []
        # With one kind of totals that means: every line hides 0 or at least 2 cells.
        for line in _constraint_lines(table):
            assert sum(grid[r][c] is None for r, c in line) != 1
    if not (row_totals and column_totals):  # the small cells and only they are marked "<m" (never a total)
        height, width = len(rows), len(rows[0])
        small = {(r, c) for r in range(height) for c in range(width) if is_small(rows[r][c], min_count)}
        assert table.primary == small


# --------------------------------------------------------------------------------------------------
# The attacker: what a reader who knows the rules can work out from the published view (brute force)
# --------------------------------------------------------------------------------------------------


def _allowed(shown: int | str, min_count: int, bound: int) -> list[int]:
    """Values a published inner cell can have: a number is exact, "<m" is 1..m-1, "x" is 0 or >= m (were it
    1..m-1 it would show "<m")."""
    if isinstance(shown, int):
        return [shown]
    if shown == f"<{min_count}":
        return list(range(1, min_count))
    assert shown == "x"
    return [0, *range(min_count, bound + 1)]


def _reachable(cells: list[int | str], min_count: int, bound: int) -> set[int]:
    """Every sum up to ``bound`` of some assignment of the cells, by enumerating the sums cell by cell."""
    sums = {0}
    for shown in cells:
        sums = {
            total + value for total in sums for value in _allowed(shown, min_count, bound) if total + value <= bound
        }
    return sums


def attacker_values(
    lines: list[list[int | str]], total: int | str, min_count: int, bound: int
) -> dict[tuple[int, int], set[int]]:
    """For each "<m" cell (line, index): every value it can have in some assignment of all hidden cells that matches
    the published lines, which all add up to the same total (published, or "x": any number up to ``bound``)."""
    totals = [total] if isinstance(total, int) else list(range(bound + 1))
    line_sums = [_reachable(line, min_count, bound) for line in lines]
    found: dict[tuple[int, int], set[int]] = {}
    for index, line in enumerate(lines):
        for position, shown in enumerate(line):
            if shown != f"<{min_count}":
                continue
            rest = _reachable(line[:position] + line[position + 1 :], min_count, bound)
            found[index, position] = {
                value
                for value in range(1, min_count)
                if any(
                    candidate - value in rest
                    and all(candidate in sums for other, sums in enumerate(line_sums) if other != index)
                    for candidate in totals
                )
            }
    return found


def _search_bound(tables: list[list[list[int]]], min_count: int) -> int:
    """Large enough for a hidden total: above (visible sum of a line) + m per cell, a line reaches either every
    total (it has an "x") or none, so if some total fits the published view, one fits below this bound."""
    cells = sum(len(rows) * len(rows[0]) for rows in tables if rows)
    return sum(value for rows in tables for row in rows for value in row) + min_count * (cells + 2)


@st.composite
def lines(draw: st.DrawFn) -> list[int]:
    return draw(st.lists(st.one_of(st.integers(0, 6), st.integers(0, 30)), min_size=1, max_size=8))


ATTACKER_SETTINGS = settings(max_examples=120, deadline=None)


@ATTACKER_SETTINGS
@example(counts=[1, 5], min_count=5)
@example(counts=[2, 5, 0], min_count=5)
@given(counts=lines(), min_count=st.integers(2, 6))
def test_a_line_tells_the_attacker_only_the_range(counts: list[int], min_count: int) -> None:
    table = suppress_counts(counts, min_count=min_count)
    *published, total = _published(table, min_count)[0]
    bound = _search_bound([[counts]], min_count)
    for cell, values in attacker_values([published], total, min_count, bound).items():
        assert values == set(range(1, min_count)), (published, total, cell)
    # Visible values are true and never small; a shown total adds up.
    for shown, true in zip(published, counts, strict=True):
        assert shown == true or isinstance(shown, str)
        assert not (isinstance(shown, int) and is_small(shown, min_count))
    assert total == sum(counts) or total == "x"
    assert not (isinstance(total, int) and is_small(total, min_count))


@st.composite
def shared_tables(draw: st.DrawFn) -> list[list[list[int]]]:
    """Two tables splitting the same population: the second column by column a random split of the first's sums."""
    width = draw(st.integers(1, 2))
    first = [
        [draw(st.one_of(st.integers(0, 6), st.integers(0, 25))) for _ in range(width)]
        for _ in range(draw(st.integers(1, 4)))
    ]
    height = draw(st.integers(1, 4))
    columns = []
    for col in range(width):
        total = sum(row[col] for row in first)
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=height - 1, max_size=height - 1)))
        columns.append([b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)])
    return [first, [[columns[col][row] for col in range(width)] for row in range(height)]]


@ATTACKER_SETTINGS
@example(tables=[[[3, 1], [5, 0]], [[8, 1]]], min_count=5)
@example(tables=[[[4], [4]], [[1], [1], [6]]], min_count=5)
@given(tables=shared_tables(), min_count=st.integers(2, 6))
def test_shared_totals_tell_the_attacker_only_the_range(tables: list[list[list[int]]], min_count: int) -> None:
    suppressed = suppress_shared_totals(tables, min_count=min_count)
    views = [_published(table, min_count) for table in suppressed]
    bound = _search_bound(tables, min_count)
    width = len(tables[0][0])
    for col in range(width):
        column_lines = [[row[col] for row in view[:-1]] for view in views]
        totals = {view[-1][col] for view in views}
        assert len(totals) == 1, "a shared total is hidden in every table or in none"
        total = totals.pop()
        assert total == sum(row[col] for row in tables[0]) or total == "x"
        assert not (isinstance(total, int) and is_small(total, min_count))
        for cell, values in attacker_values(column_lines, total, min_count, bound).items():
            assert values == set(range(1, min_count)), (column_lines, total, cell)
        small = [
            (index, row)
            for index, rows in enumerate(tables)
            for row, counts in enumerate(rows)
            if is_small(counts[col], min_count)
        ]
        marked = [
            (index, row)
            for index, line in enumerate(column_lines)
            for row, shown in enumerate(line)
            if shown == f"<{min_count}"
        ]
        # Every small cell is marked, unless the markers would say too much even with everything hidden: then the
        # whole column shows "x" (and that leaves every cell open).
        assert marked == small or (
            not marked and total == "x" and all(shown == "x" for line in column_lines for shown in line)
        )
    for view, rows in zip(views, tables, strict=True):
        for shown_row, true_row in zip(view, rows, strict=False):
            for shown, true in zip(shown_row, true_row, strict=True):
                assert shown == true or isinstance(shown, str)
                assert not (isinstance(shown, int) and is_small(shown, min_count))
