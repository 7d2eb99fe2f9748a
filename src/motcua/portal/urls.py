from django.urls import path

from motcua.portal import dossier_views, payment_views, rating_views, store_views, submit_views, views
from motcua.portal.receipt_views import payment_receipt
from motcua.portal.result_views import my_dossier_result
from motcua.portal.slip_views import my_dossier_slip
from motcua.portal.verify_views import signature_verify

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_page, name="procedure"),
    path("thu-tuc/<str:code>/nop-ho-so/", submit_views.submit, name="submit"),
    path("thu-tuc/<str:code>/nop-ho-so/xong/<str:dossier_code>/", submit_views.submit_done, name="submit-done"),
    path("xac-minh-chu-ky/", signature_verify, name="signature-verify"),
    path("tra-cuu/", dossier_views.track, name="track"),
    path("tra-cuu/<str:code>/", dossier_views.track_dossier, name="track-dossier"),
    path("ho-so-cua-toi/", dossier_views.my_dossiers, name="my-dossiers"),
    path("ho-so-cua-toi/<str:code>/", dossier_views.my_dossier, name="my-dossier"),
    path("ho-so-cua-toi/<str:code>/rut/", dossier_views.my_dossier_withdraw, name="my-dossier-withdraw"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", dossier_views.my_dossier_supplement, name="my-dossier-supplement"),
    path("ho-so-cua-toi/<str:code>/phieu/<slug:kind>.pdf", my_dossier_slip, name="my-dossier-slip"),
    path("ho-so-cua-toi/<str:code>/ket-qua.pdf", my_dossier_result, name="my-dossier-result"),
    path("ho-so-cua-toi/<str:code>/bien-lai/<str:reference>/", payment_receipt, name="payment_receipt"),
    path(
        "ho-so-cua-toi/<str:code>/tai-lieu/<int:document_id>/",
        dossier_views.my_dossier_document,
        name="my-dossier-document",
    ),
    # Paying a dossier's fees online (payments/payment_views.py).
    path("ho-so-cua-toi/<str:code>/thanh-toan/", payment_views.pay_page, name="payment_pay"),
    path("ho-so-cua-toi/<str:code>/thanh-toan/<str:reference>/", payment_views.pay_start, name="payment_start"),
    path(
        "ho-so-cua-toi/<str:code>/thanh-toan/<str:reference>/ket-qua/", payment_views.pay_return, name="payment_return"
    ),
    # The applicant's data store ("My documents") and the public page of a share link.
    path("tai-khoan/kho-du-lieu/", store_views.my_documents_page, name="my-documents"),
    path("tai-khoan/kho-du-lieu/<str:code>/tai-ve/", store_views.my_document_download, name="my-document-download"),
    path("tai-khoan/kho-du-lieu/<str:code>/chia-se/", store_views.my_document_share, name="my-document-share"),
    path("tai-khoan/chia-se/<int:link_id>/thu-hoi/", store_views.my_share_revoke, name="my-share-revoke"),
    path("chia-se/<str:token>/", store_views.share_page, name="share"),
    path("chia-se/<str:token>/tai-ve/", store_views.share_download, name="share-download"),
    # Satisfaction rating from the signed link of the result's notification (and from "My dossiers").
    path("danh-gia/<str:token>/", rating_views.rate, name="rate"),
]
