from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from motcua.reports import export_services
        from motcua.reports.tasks import report_export_task

        export_services.export_enqueue = lambda export_id: report_export_task.enqueue(export_id=export_id)
