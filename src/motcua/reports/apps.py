from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from motcua.reports import export_services
        from motcua.reports.tasks import report_export_task

        def enqueue(export_id: int) -> None:
            report_export_task.enqueue(export_id=export_id)

        export_services.export_enqueue = enqueue
