"""Cross-cutting records: the audit log, the task worker's heartbeat and its leases on running tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Immutable record of a write done by a service: who did what to which object."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=80, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class WorkerHeartbeat(models.Model):
    """Each task worker process refreshes its row; /healthz reads the freshest one."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class TaskLease(models.Model):
    """A worker's claim on a running task (django_tasks_db's row), renewed while the task runs.

    A worker that dies (SIGKILL, power cut) stops renewing it: once ``expires_at`` has passed, the next
    worker puts the task back in the queue (``core.task_worker.requeue_expired``) instead of leaving it
    ``RUNNING`` for ever.
    """

    task = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        verbose_name=_("task"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="lease",
    )
    worker_id = models.CharField(_("worker"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.task_id} {self.worker_id} {self.expires_at:%Y-%m-%d %H:%M:%S}"
