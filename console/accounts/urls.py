"""Sign-in (password, then a code when codes are on), sign-out, the account page."""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from console.accounts.views import AccountView, SignInCodeView, SignInView, SignOutView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:list"), name="home"),
    path("login/", SignInView.as_view(), name="login"),
    path("login/code/", SignInCodeView.as_view(), name="login_code"),
    path("logout/", SignOutView.as_view(), name="logout"),
    path("account/", AccountView.as_view(), name="account"),
]
