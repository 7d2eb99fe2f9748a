"""A synthetic history for tests of lists: ``motcua.demo.synthetic`` seeded, for suites of apps below the
demo layer (the generator writes rows directly, so using it from those apps' tests keeps their code free
of any dependency on it)."""

from __future__ import annotations

from motcua.demo.synthetic import SeedReport, synthetic_seed


def synthetic_history(*, dossiers: int, seed: int) -> SeedReport:
    """``dossiers`` dossiers over the 18 months before now, at the offerings, staff and processes loaded."""
    return synthetic_seed(dossiers=dossiers, seed=seed)
