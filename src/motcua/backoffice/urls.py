from django.urls import path

from motcua.backoffice import (
    book_views,
    certification_views,
    dossier_views,
    export_views,
    processing_views,
    report_views,
    store_views,
    views,
)
from motcua.backoffice.calendar_views import calendar_month
from motcua.backoffice.outbox_views import outbox
from motcua.backoffice.payment_views import dossier_payment_exempt, dossier_payment_receipt, dossier_payment_record
from motcua.backoffice.postal_views import dossier_shipment_retry
from motcua.backoffice.reconciliation_views import statement, statements
from motcua.backoffice.slip_views import dossier_slip
from motcua.backoffice.sync_views import dead_letter, dead_letter_resend, dead_letters

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
    path("hop-thu-di/", outbox, name="outbox"),
    # Fixed paths before "ho-so/<code>/", which would otherwise swallow them.
    path("ho-so/cho-tiep-nhan/", dossier_views.intake_queue_page, name="intake-queue"),
    path("ho-so/tiep-nhan/", dossier_views.walk_in, name="walk-in"),
    path("ho-so/tiep-nhan/<int:applicant_id>/", dossier_views.walk_in_dossier, name="walk-in-dossier"),
    path("cong-dan/<int:applicant_id>/xac-thuc/", dossier_views.applicant_verify, name="applicant-verify"),
    path("ho-so/<str:code>/", dossier_views.dossier_page, name="dossier"),
    path("ho-so/<str:code>/tai-lieu/<int:document_id>/", dossier_views.dossier_document, name="dossier-document"),
    path("ho-so/<str:code>/so-hoa/<int:digitized_id>/", dossier_views.dossier_digitized, name="dossier-digitized"),
    path("ho-so/<str:code>/phi-so-hoa/", dossier_views.dossier_digitization_charge, name="dossier-digitization-charge"),
    # The applicant's data store, only through a dossier the staff member sees (every read audited).
    path("ho-so/<str:code>/kho-du-lieu/", store_views.dossier_data_store, name="dossier-data-store"),
    path(
        "ho-so/<str:code>/kho-du-lieu/<str:document_code>/",
        store_views.dossier_data_store_document,
        name="dossier-data-store-document",
    ),
    path("so-hoa-ket-qua-cu/", store_views.backfile, name="backfile"),
    path("ho-so/<str:code>/tiep-nhan/", dossier_views.dossier_receive, name="dossier-receive"),
    path(
        "ho-so/<str:code>/tiep-nhan-va-chuyen/",
        dossier_views.dossier_receive_forward,
        name="dossier-receive-forward",
    ),
    path("ho-so/<str:code>/tu-choi/", dossier_views.dossier_refuse, name="dossier-refuse"),
    path(
        "ho-so/<str:code>/yeu-cau-bo-sung/", dossier_views.dossier_request_supplement, name="dossier-request-supplement"
    ),
    path("ho-so/<str:code>/rut/", dossier_views.dossier_withdraw, name="dossier-withdraw"),
    path("ho-so/<str:code>/buu-chinh/dat-lai/", dossier_shipment_retry, name="dossier-shipment-retry"),
    path("ho-so/<str:code>/phieu/<slug:kind>.pdf", dossier_slip, name="dossier-slip"),
    # Fees: the desk records cash or a transfer, exempts, prints the e-receipt (payments).
    path(
        "ho-so/<str:code>/thanh-toan/<str:reference>/ghi-nhan/", dossier_payment_record, name="dossier-payment-record"
    ),
    path(
        "ho-so/<str:code>/thanh-toan/<str:reference>/mien-giam/", dossier_payment_exempt, name="dossier-payment-exempt"
    ),
    path("ho-so/<str:code>/bien-lai/<str:reference>/", dossier_payment_receipt, name="dossier-payment-receipt"),
    # Processing: the inbox, the dossier processing page and its actions (POST), downloads.
    path("xu-ly/", processing_views.inbox_page, name="inbox"),
    path("xu-ly/<str:code>/", processing_views.processing_dossier, name="processing-dossier"),
    path("xu-ly/<str:code>/ket-qua.pdf", processing_views.processing_result, name="processing-result"),
    path("xu-ly/<str:code>/xem-truoc-ket-qua.pdf", processing_views.processing_preview, name="processing-preview"),
    path("xu-ly/<str:code>/phieu-kiem-soat.pdf", book_views.control_slip, name="control-slip"),
    path("xu-ly/<str:code>/thu-xin-loi.pdf", book_views.apology_letter, name="apology-letter"),
    path("so-theo-doi/", book_views.tracking_book, name="tracking-book"),
    # Certified electronic copies from originals: a request's certification page, the certification book.
    path("chung-thuc/<str:code>/", certification_views.certification_dossier, name="certification-dossier"),
    path("so-chung-thuc/", certification_views.certification_book, name="certification-book"),
    path(
        "xu-ly/<str:code>/tai-lieu/<int:document_id>/",
        processing_views.processing_document,
        name="processing-document",
    ),
    path("xu-ly/<str:code>/<slug:action>/", processing_views.processing_action, name="processing-action"),
    # Exports of the indicators (XLSX, PDF): at once, or as a background job for long periods.
    # Reports: the dashboard, the dossiers behind a number, the targets (administrators).
    path("bao-cao/", report_views.dashboard, name="dashboard"),
    path("bao-cao/ho-so/", report_views.dashboard_dossiers, name="dashboard-dossiers"),
    path("bao-cao/chi-tieu/", report_views.targets, name="targets"),
    path("bao-cao/chi-tieu/sao-chep/", report_views.targets_copy, name="targets-copy"),
    path("bao-cao/chi-tieu/<int:target_id>/", report_views.target_edit, name="target-edit"),
    path("bao-cao/chi-tieu/<int:target_id>/xoa/", report_views.target_remove, name="target-delete"),
    path("bao-cao/xuat/", export_views.report_export, name="report-export"),
    path("bao-cao/xuat/<int:export_id>/", export_views.report_export_status, name="report-export-status"),
    path("bao-cao/xuat/<int:export_id>/tai-ve/", export_views.report_export_download, name="report-export-download"),
    # Internal processes (administrators).
    path("quy-trinh/", processing_views.processes_page, name="processes"),
    path(
        "quy-trinh/<str:procedure_code>/<str:agency_code>/",
        processing_views.process_editor,
        name="process-editor",
    ),
    # National portal sync: dead letters (administrators resend, supervisors read).
    path("dong-bo-quoc-gia/", dead_letters, name="sync-dead-letters"),
    path("dong-bo-quoc-gia/<int:pk>/", dead_letter, name="sync-dead-letter"),
    path("dong-bo-quoc-gia/<int:pk>/gui-lai/", dead_letter_resend, name="sync-dead-letter-resend"),
]

# National public-service portal, pull side: last pulls, imported dossiers, failures, pull now (administrators).
from motcua.backoffice import national_views  # noqa: E402

urlpatterns += [
    path("cong-dvc-quoc-gia/", national_views.national_portal, name="national-portal"),
    path("cong-dvc-quoc-gia/lay-ngay/<slug:kind>/", national_views.national_pull_now, name="national-pull"),
    path(
        "cong-dvc-quoc-gia/nhap-lai/<int:intake_id>/",
        national_views.national_intake_retry_view,
        name="national-retry",
    ),
    # Payments: the provider's statements, reconciled (supervisors and desk officers of the unit).
    path("doi-soat-thanh-toan/", statements, name="payment-statements"),
    path("doi-soat-thanh-toan/<int:pk>/", statement, name="payment-statement"),
]

# Feedback from the public: the units' list, a feedback's actions, feedback entered by staff (feedback_views.py).
from motcua.backoffice import feedback_views  # noqa: E402

urlpatterns += [
    path("phan-anh/", feedback_views.feedback_list, name="feedback-list"),
    path("phan-anh/nhap/", feedback_views.feedback_enter, name="feedback-enter"),
    path("phan-anh/<str:code>/", feedback_views.feedback_detail, name="feedback-detail"),
]

# The desk queue: a desk officer's counter, kiosks enabled on devices, the queue report (backoffice/queue_views.py).
from motcua.backoffice import queue_views  # noqa: E402

urlpatterns += [
    path("hang-doi/", queue_views.queue_home, name="queue"),
    path("hang-doi/kiosk/<str:desk_code>/", queue_views.kiosk_enable_view, name="queue-kiosk-enable"),
    path("hang-doi/quay/<int:counter_id>/", queue_views.counter_page, name="queue-counter"),
    path("hang-doi/quay/<int:counter_id>/<slug:action>/", queue_views.counter_action, name="queue-counter-action"),
    path("hang-doi/bao-cao/", queue_views.queue_report_page, name="queue-report"),
]

# Satisfaction: the desk tablet (desk officers) and the ratings report (supervisors, unit leaders).
from motcua.backoffice import rating_views  # noqa: E402

urlpatterns += [
    path("danh-gia/tai-quay/", rating_views.rating_desk_waiting, name="rating-desk-waiting"),
    path("danh-gia/tai-quay/<str:code>/", rating_views.rating_desk, name="rating-desk"),
    path("danh-gia/bao-cao/", rating_views.rating_report_page, name="rating-report"),
]
