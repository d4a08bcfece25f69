"""The admins' user management (``/users/``)."""

from __future__ import annotations

from django.urls import path

from console.accounts.user_views import (
    UserChangeView,
    UserCreateView,
    UserDetailView,
    UserListView,
    UserPasswordView,
)

app_name = "users"
urlpatterns = [
    path("", UserListView.as_view(), name="list"),
    path("new/", UserCreateView.as_view(), name="new"),
    path("<int:user_id>/", UserDetailView.as_view(), name="detail"),
    path("<int:user_id>/change/", UserChangeView.as_view(), name="change"),
    path("<int:user_id>/password/", UserPasswordView.as_view(), name="password"),
]
