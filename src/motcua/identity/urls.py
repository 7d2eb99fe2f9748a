from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.identity import national_login_views, second_factor_views, views

app_name = "identity"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/ma-xac-thuc/", second_factor_views.second_factor, name="second-factor"),
    path("dang-nhap/cai-dat-xac-thuc/", second_factor_views.second_factor_enrol, name="second-factor-enrol"),
    path("tai-khoan/ma-khoi-phuc/", second_factor_views.recovery_codes_renew, name="recovery-codes"),
    path("tai-khoan/ma-truy-cap-api/", second_factor_views.api_tokens, name="api-tokens"),
    path("dang-nhap/vneid/", national_login_views.NationalLoginStartView.as_view(), name="national-login"),
    path(
        "dang-nhap/vneid/ket-qua/",
        national_login_views.NationalLoginCallbackView.as_view(),
        name="national-login-callback",
    ),
    path("dang-xuat/", national_login_views.LogoutView.as_view(), name="logout"),
    path("dang-ky/", views.register, name="register"),
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/chuyen-huong/", views.after_login, name="after-login"),
    path("tai-khoan/doi-mat-khau/", views.PasswordChangeView.as_view(), name="password-change"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="identity/password_reset_done.html"),
        name="password-reset-done",
    ),
    path("quen-mat-khau/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
]
