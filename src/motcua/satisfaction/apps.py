from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    """Satisfaction ratings (đánh giá mức độ hài lòng; DOMAIN.md §11): one per dossier after its result,
    online from the notification's link or at the desk on a tablet."""

    name = "motcua.satisfaction"
    label = "satisfaction"
    verbose_name = _("Satisfaction")
