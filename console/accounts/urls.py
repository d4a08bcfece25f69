"""Sign-in and sign-out."""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from console.accounts.views import SignInView, SignOutView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:list"), name="home"),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", SignOutView.as_view(), name="logout"),
]
