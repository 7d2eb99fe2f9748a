"""Models of the national connections (the outbox of national sync, postal orders...)."""

from motcua.integrations.intake_models import (  # noqa: F401
    IntakeStatus,
    NationalCursor,
    NationalIntake,
    NationalPull,
    PullKind,
)
