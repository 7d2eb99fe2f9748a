from django.urls import path

from motcua.portal import (
    dossier_views,
    feedback_views,
    guide_views,
    payment_views,
    rating_views,
    store_views,
    submit_views,
    views,
)
from motcua.portal.apology_views import apologies_page
from motcua.portal.receipt_views import payment_receipt
from motcua.portal.result_views import my_dossier_result
from motcua.portal.slip_views import my_dossier_slip
from motcua.portal.stats_views import public_stats_page
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
    # Feedback from the public (phản ánh, kiến nghị; portal/feedback_views.py).
    path("phan-anh-kien-nghi/", feedback_views.feedback_published, name="feedback-list"),
    path("phan-anh-kien-nghi/gui/", feedback_views.feedback_send, name="feedback-send"),
    path("phan-anh-kien-nghi/da-gui/<str:code>/", feedback_views.feedback_sent, name="feedback-sent"),
    path("phan-anh-kien-nghi/tra-cuu/", feedback_views.feedback_lookup, name="feedback-lookup"),
    # Publicity (issue 17): how procedures are handled, and the apologies for late dossiers.
    path("thong-ke/", public_stats_page, name="public-stats"),
    path("xin-loi/", apologies_page, name="apologies"),
    # Guidance for online services: a procedure's guide, the desks' A4 boards (?che-do=man-hinh: the TV).
    path("thu-tuc/<str:code>/huong-dan/", guide_views.guide_page, name="guide"),
    path("huong-dan-truc-tuyen/", guide_views.guide_boards, name="guide-boards"),
    path("huong-dan-truc-tuyen/<str:code>/", guide_views.guide_board, name="guide-board"),
    path("huong-dan-truc-tuyen/<str:code>/bang.pdf", guide_views.guide_board_pdf, name="guide-board-pdf"),
]

# The desk queue: the kiosk (on devices enabled by the desk), the ticket, the TV display and its feed.
from motcua.portal import queue_views  # noqa: E402

urlpatterns += [
    path("hang-doi/<str:desk_code>/lay-so/", queue_views.kiosk, name="queue-kiosk"),
    path("hang-doi/<str:desk_code>/lay-so/<int:ticket_id>/", queue_views.kiosk_ticket, name="queue-ticket"),
    path("hang-doi/<str:desk_code>/man-hinh/", queue_views.display, name="queue-display"),
    path("hang-doi/<str:desk_code>/man-hinh/du-lieu/", queue_views.display_feed, name="queue-display-feed"),
    # Satisfaction rating from the signed link of the result's notification (and from "My dossiers").
    path("danh-gia/<str:token>/", rating_views.rate, name="rate"),
]
