"""A fixed, seeded slice of the fuzzer (``make fuzz`` runs 10,000+ cases): generated photos in
every writable format, mutated; only engine errors may come out and writes never read worse."""

from __future__ import annotations

import shutil

import pytest

from tests.reliability.fuzz import fuzz


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the injected damage
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("seed", [11, 23])
def test_fixed_fuzz_corpus_raises_only_engine_errors(seed: int) -> None:
    stats = fuzz(
        150, seed, export_every=15, use_exiftool=bool(shutil.which("exiftool")), use_samples=False
    )
    assert stats.cases == 150
    assert stats.findings == []
    # The corpus exercises both paths: some mutants are still written, some refused.
    assert stats.written > 0 and stats.write_refused > 0
    assert stats.read_ok > 0 and stats.read_refused > 0
