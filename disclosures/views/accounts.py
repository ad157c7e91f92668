"""Sign in and out (Django's auth views); sign-up and password reset come with the portal work."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

urlpatterns: list[URLPattern] = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
