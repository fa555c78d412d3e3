"""Shares that add up: rounded percentages of a column whose shown values sum to exactly 100 %.

Rounding each share on its own can show 102 % next to "I alt 100 %". The largest remainder method (Hare) gives each
part the whole percentage units it has for sure, then hands the units still missing to the parts with the largest
remainders. Ties are broken by the larger count and then by the earlier position, so the result does not depend on
anything but the counts and their order.
"""

from __future__ import annotations

from collections.abc import Sequence


def largest_remainder(counts: Sequence[int], *, places: int = 0) -> tuple[float | None, ...]:
    """Each count's share of the sum, as a fraction 0..1 rounded so that, shown as a percentage with ``places``
    decimals, the shares add up to exactly 100 %. All ``None`` when the sum is 0 (no share can be worked out)."""
    if places < 0:
        raise ValueError(f"places must be 0 or more, not {places}")
    if any(count < 0 for count in counts):
        raise ValueError(f"counts must not be negative: {list(counts)}")
    total = sum(counts)
    if total == 0:
        return tuple(None for _ in counts)
    units = 100 * 10**places  # the shown steps that make up 100 %
    floors = [count * units // total for count in counts]
    remainders = [count * units % total for count in counts]
    missing = units - sum(floors)  # < len(counts): each floor lost less than one unit
    order = sorted(range(len(counts)), key=lambda index: (-remainders[index], -counts[index], index))
    for index in order[:missing]:
        floors[index] += 1
    return tuple(floor / units for floor in floors)
