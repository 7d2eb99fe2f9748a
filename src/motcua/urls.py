from django.contrib import admin
from django.urls import include, path

from motcua.core.views import healthz

admin.site.site_header = "motcua"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("motcua.api.urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("quan-tri/", admin.site.urls),
    path("", include("motcua.identity.urls")),
    path("", include("motcua.portal.urls")),
]

handler404 = "motcua.core.views.not_found"
handler500 = "motcua.core.views.server_error"
