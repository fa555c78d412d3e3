"""Largest remainder: shown shares of a column add up to exactly 100 %, ties and zero totals included."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samarbejde_xl.core.percentages import largest_remainder


def _shown(shares: tuple[float | None, ...], places: int = 0) -> list[int]:
    """The shares as the report shows them, in units of 10**-places percent."""
    return [round(share * 100 * 10**places) for share in shares if share is not None]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # The report's own case: 1/62/10/3/4/4/15 % of the first 71 (seed material) rounds to 99 % on its own.
        ([1, 44, 7, 2, 3, 3, 11], [1, 62, 10, 3, 4, 4, 16]),
        # Three equal thirds: 33.33 each, one unit missing; tie on remainder and count -> the first gets it.
        ([1, 1, 1], [34, 33, 33]),
        # The larger remainder gets the unit, not the larger count (2/7 = 28.57, 5/7 = 71.43).
        ([2, 5], [29, 71]),
        # 1/6 = 16.67, 5/6 = 83.33: plain rounding already adds up.
        ([1, 5], [17, 83]),
        # Equal remainders, different counts: 1/8 = 12.5, 3/8 = 37.5, 4/8 = 50 -> the larger (3) gets the unit.
        ([1, 3, 4], [12, 38, 50]),
        ([0, 7, 0], [0, 100, 0]),
        ([5], [100]),
    ],
    ids=["seed-71", "thirds", "larger-remainder", "plain", "half-remainders", "zeros-around", "single"],
)
def test_largest_remainder_whole_percent(counts: list[int], expected: list[int]) -> None:
    shares = largest_remainder(counts)
    assert _shown(shares) == expected
    assert sum(_shown(shares)) == 100


def test_plain_rounding_would_not_add_up_here() -> None:
    """The case that made the report show 102 %: the fix changes what is shown."""
    counts = [1, 1, 1, 1, 1, 1, 1]  # 14.29 % each: rounds to 14 % seven times = 98 %
    assert sum(round(100 * count / 7) for count in counts) == 98
    assert _shown(largest_remainder(counts)) == [15, 15, 14, 14, 14, 14, 14]


def test_zero_total_gives_no_shares() -> None:
    assert largest_remainder([0, 0, 0]) == (None, None, None)
    assert largest_remainder([]) == ()


def test_places_gives_decimals() -> None:
    shares = largest_remainder([1, 1, 1], places=1)
    assert _shown(shares, 1) == [334, 333, 333]
    assert shares[0] == pytest.approx(0.334)


@pytest.mark.parametrize("bad", [[-1, 2], [3, -3]])
def test_negative_counts_are_refused(bad: list[int]) -> None:
    with pytest.raises(ValueError, match="negative"):
        largest_remainder(bad)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12), st.integers(0, 2))
def test_shares_add_up_and_stay_within_one_unit(counts: list[int], places: int) -> None:
    shares = largest_remainder(counts, places=places)
    if sum(counts) == 0:
        assert all(share is None for share in shares)
        return
    units = 100 * 10**places
    shown = _shown(shares, places)
    assert sum(shown) == units
    for count, unit in zip(counts, shown, strict=True):
        exact = Fraction(count * units, sum(counts))
        assert abs(unit - exact) < 1  # never more than one shown step from the exact share
        if count == 0:
            assert unit == 0  # a zero count never gets a unit: its remainder is 0
