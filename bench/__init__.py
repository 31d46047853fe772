"""Benchmarks (``make bench``), not part of ``make test``; ratios to a same-run baseline."""
