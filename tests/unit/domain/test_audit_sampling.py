"""Who the random audit draws (rule 6), pure: the share drawn, the recorded numbers, the limits of
the rate, the unpredictable source, and the monthly minimum."""

from __future__ import annotations

import math
import random
import secrets
from collections import Counter

import pytest

from complaints.domain.audit import Candidate, audit_id, draw, month_minimum, system_random

pytestmark = pytest.mark.unit
AGENCIES = ("DIST-1039", "DIST-1001", "DEPT-DDS")


def candidates(n: int) -> list[Candidate]:
    return [Candidate(f"2604-{i:06d}", 4, AGENCIES[i % len(AGENCIES)], "2026-04") for i in range(n)]


@pytest.mark.parametrize(("rate", "seed"), [(0.10, 1555), (0.10, 7), (0.02, 42), (0.5, 2026)])
def test_the_share_drawn_is_the_rate_within_four_standard_deviations(rate, seed):
    n = 20_000
    draws = draw(candidates(n), rate, random.Random(seed))
    share = sum(d.drawn for d in draws) / n
    sigma = math.sqrt(rate * (1 - rate) / n)
    assert abs(share - rate) <= 4 * sigma, (share, rate, sigma)


def test_one_number_per_candidate_in_order_and_drawn_exactly_when_it_is_below_the_rate():
    pool = candidates(5_000)
    draws = draw(pool, 0.10, random.Random(3))
    assert [d.candidate for d in draws] == pool
    assert all(0 <= d.value < 1 for d in draws)
    assert all(d.drawn == (d.value < 0.10) for d in draws)
    assert 0 < sum(d.drawn for d in draws) < len(pool)


def test_the_same_seed_draws_the_same_so_a_recorded_draw_can_be_replayed():
    pool = candidates(500)
    first = draw(pool, 0.10, random.Random(11))
    again = draw(pool, 0.10, random.Random(11))
    other = draw(pool, 0.10, random.Random(12))
    assert first == again
    assert [d.value for d in first] != [d.value for d in other]


def test_rate_zero_draws_none_and_rate_one_draws_all():
    pool = candidates(2_000)
    assert not any(d.drawn for d in draw(pool, 0.0, random.Random(5)))
    assert all(d.drawn for d in draw(pool, 1.0, random.Random(5)))


class _Extremes(random.Random):
    """A source that returns the ends of [0, 1): exactly 0.0, then just under 1."""

    def __init__(self) -> None:
        super().__init__(0)
        self._values = iter([0.0, math.nextafter(1.0, 0.0)])

    def random(self) -> float:
        return next(self._values)


def test_the_ends_of_the_interval_are_decided_by_strict_comparison():
    low, high = draw(candidates(2), 0.0, _Extremes())
    assert (low.value, low.drawn) == (0.0, False)  # rate 0 never draws, not even 0.0
    assert not high.drawn
    low, high = draw(candidates(2), 1.0, _Extremes())
    assert low.drawn and high.drawn  # rate 1 always draws, even just under 1


def test_no_candidates_no_draws():
    assert draw([], 0.10, random.Random(1)) == []


@pytest.mark.parametrize("rate", [-0.01, 1.01, 10, -1, float("nan"), float("inf")])
def test_a_rate_outside_zero_to_one_is_refused(rate):
    with pytest.raises(ValueError, match="between 0 and 1"):
        draw(candidates(3), rate, random.Random(1))


def test_auditing_refuses_a_rate_outside_zero_to_one():
    from complaints.usecases.auditing import Auditing

    with pytest.raises(ValueError, match="between 0 and 1"):
        Auditing(None, None, None, "", rate=1.5, auditors="")  # type: ignore[arg-type]


def test_production_draws_come_from_the_operating_systems_source():
    source = system_random()
    assert isinstance(source, secrets.SystemRandom)
    assert 0 <= source.random() < 1


def test_production_auditing_names_its_source_and_tests_say_they_are_seeded():
    from complaints.usecases.auditing import Auditing

    assert Auditing(None, None, None, "", rate=0.1, auditors="").source == "secrets.SystemRandom"  # type: ignore[arg-type]
    seeded = Auditing(None, None, None, "", rate=0.1, auditors="", rng=lambda: random.Random(1))  # type: ignore[arg-type]
    assert seeded.source == "seeded (tests only)"


def test_the_monthly_minimum_picks_only_from_the_pool_and_every_member_in_time():
    pool = [f"2604-{i:06d}#4" for i in range(7)]
    picks = Counter(pool[month_minimum(pool, random.Random(seed))] for seed in range(1_000))
    assert set(picks) == set(pool)  # every member picked at least once, nothing else
    # uniform: each of 7 expected 1000/7 ≈ 143 times; none wildly off (4 standard deviations)
    p = 1 / len(pool)
    sigma = math.sqrt(1_000 * p * (1 - p))
    assert all(abs(count - 1_000 * p) <= 4 * sigma for count in picks.values()), picks


def test_the_monthly_minimum_of_a_pool_of_one_is_that_one():
    assert month_minimum(["2604-ABCDEF#4"], random.Random(9)) == 0


def test_an_audit_names_the_completion_it_checks():
    assert audit_id("2604-ABCDEF", 4) == "2604-ABCDEF-4"


def test_a_flagged_completion_is_always_drawn_even_at_a_rate_of_zero():
    flagged = Candidate("2604-FLAGGD", 6, "DIST-1039", "2026-04", flagged=True)
    draws = draw([*candidates(50), flagged], 0.0, random.Random(1))
    assert [d.candidate for d in draws if d.drawn] == [flagged]
    assert 0 <= draws[-1].value < 1  # its number is still drawn and recorded
