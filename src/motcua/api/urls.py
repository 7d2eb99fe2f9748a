from django.urls import path
from rest_framework.routers import SimpleRouter

from motcua.api.calendar_views import CalendarDaysView, DueTimeView
from motcua.api.dossier_views import DossierViewSet
from motcua.api.feedback_views import FeedbackStatusView
from motcua.api.payment_callback_views import PaymentCallbackView
from motcua.api.postal_views import PostalStatusView
from motcua.api.report_views import IndicatorsView
from motcua.api.reuse_views import ReuseProposalsView
from motcua.api.signature_views import SignatureVerifyView
from motcua.api.sms_receipt_views import SmsReceiptView
from motcua.api.staff_dossier_views import StaffDossierListView
from motcua.api.store_views import (
    MyDocumentFileView,
    MyDocumentListView,
    MyDocumentShareView,
    MyDocumentView,
    MyShareRevokeView,
)
from motcua.api.token_views import ApiTokenListView, ApiTokenRotateView, ApiTokenView
from motcua.api.views import AgencyViewSet, ProcedureViewSet, SectorViewSet

app_name = "api"

router = SimpleRouter(trailing_slash=False)
router.register("agencies", AgencyViewSet, basename="agency")
router.register("sectors", SectorViewSet, basename="sector")
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")

urlpatterns = router.urls
urlpatterns = [
    *urlpatterns,
    path("procedures/<str:code>/reuse-proposals", ReuseProposalsView.as_view(), name="procedure-reuse-proposals"),
    path("calendar/due-time", DueTimeView.as_view(), name="calendar-due-time"),
    path("calendar/days", CalendarDaysView.as_view(), name="calendar-days"),
    path("signatures/verify", SignatureVerifyView.as_view(), name="signature-verify"),
    path("sms/receipts", SmsReceiptView.as_view(), name="sms-receipt"),
    path("reports/indicators", IndicatorsView.as_view(), name="report-indicators"),
    path("postal/status", PostalStatusView.as_view(), name="postal-status"),
    path("payments/callbacks/<str:provider>", PaymentCallbackView.as_view(), name="payment-callback"),
    path("staff/dossiers", StaffDossierListView.as_view(), name="staff-dossier-list"),
    path("me/documents", MyDocumentListView.as_view(), name="me-document-list"),
    path("me/documents/<str:code>", MyDocumentView.as_view(), name="me-document-detail"),
    path("me/documents/<str:code>/file", MyDocumentFileView.as_view(), name="me-document-file"),
    path("me/documents/<str:code>/shares", MyDocumentShareView.as_view(), name="me-document-share"),
    path("me/shares/<int:link_id>/revoke", MyShareRevokeView.as_view(), name="me-share-revoke"),
    path("tokens", ApiTokenListView.as_view(), name="token-list"),
    path("tokens/<int:token_id>", ApiTokenView.as_view(), name="token-detail"),
    path("tokens/<int:token_id>/rotate", ApiTokenRotateView.as_view(), name="token-rotate"),
    path("feedback/<str:code>", FeedbackStatusView.as_view(), name="feedback-status"),  # issue 17
]
