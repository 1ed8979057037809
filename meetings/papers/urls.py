"""The papers' public pages, under the language prefix: `/en/papers/<reference>/`."""

from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    path("<str:reference>/", views.PaperVerifyView.as_view(), name="verify"),
]
