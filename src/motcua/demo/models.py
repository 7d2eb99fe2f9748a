"""What the demo loaded once: the record that makes ``load_demo_history`` idempotent."""

from django.db import models
from django.utils import timezone


class DemoHistory(models.Model):
    """The synthetic history ``load_demo_history`` wrote, with its arguments (seed, size, days, end): its
    presence means "already loaded", so a second ``make setup`` adds nothing. Not shown to users."""

    seed = models.PositiveIntegerField()
    dossiers = models.PositiveIntegerField()
    days = models.PositiveIntegerField()
    until = models.DateTimeField()
    loaded_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0.0)

    def __str__(self) -> str:
        end = timezone.localtime(self.until)
        return f"{self.dossiers} dossiers over {self.days} days up to {end:%Y-%m-%d %H:%M} (seed {self.seed})"
