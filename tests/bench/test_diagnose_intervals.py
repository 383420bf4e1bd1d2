"""The diagnosis benchmark's cohort-resampled intervals (scripts/bench/diagnose.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "bench_diagnose", Path(__file__).resolve().parents[2] / "scripts" / "bench" / "diagnose.py")
assert _SPEC and _SPEC.loader
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)


def test_intervals_resample_whole_cohorts() -> None:
    """Two cohorts, one where medkg wins and one where it loses: every draw is a mix of whole
    cohorts, so the interval spans from the losing cohort alone to the winning one alone."""
    names = [f"win/p{i}.json" for i in range(10)] + [f"lose/p{i}.json" for i in range(10)]
    ours = [1] * 10 + [20] * 10
    base = [20] * 10 + [1] * 10
    ci = bench.cohort_intervals(names, ours, base, draws=400, seed=3)
    lo, hi = ci["top1"]
    assert lo < 1e-6 and hi > 1e6  # all "lose" draws: 0 / 1; all "win" draws: 1 / 0
    assert bench._ratios(ours, base)[0] == 1.0
    lo, hi = ci["top10_misses_covered"]
    assert lo < 1e-6 and hi > 1e6


def test_one_cohort_gives_its_own_ratio() -> None:
    names = [f"only/p{i}.json" for i in range(6)]
    ours, base = [1, 1, 2, 12, None, 3], [2, 1, 15, 12, None, 1]
    ci = bench.cohort_intervals(names, ours, base, draws=50)
    r = bench._ratios(ours, base)
    assert all(ci[k] == (v, v) for k, v in zip(("top1", "top10_misses", "top10_misses_covered"), r, strict=True))
