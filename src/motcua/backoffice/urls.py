from django.urls import path

from motcua.backoffice import views
from motcua.backoffice.calendar_views import calendar_month

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("cong-dan/", views.applicants, name="applicants"),
    path("cong-dan/tao-tai-khoan/", views.applicant_create, name="applicant-create"),
    path("co-quan/", views.agencies, name="agencies"),
    path("co-quan/nhap/", views.agencies_import, name="agencies-import"),
    path("danh-muc/", views.catalog, name="catalog"),
    path("danh-muc/nhap/", views.catalog_import_view, name="catalog-import"),
    path("danh-muc/xuat.json", views.catalog_export_view, {"fmt": "json"}, name="catalog-export-json"),
    path("danh-muc/xuat.xlsx", views.catalog_export_view, {"fmt": "xlsx"}, name="catalog-export-xlsx"),
    path("lich/", calendar_month, name="calendar"),
]
