"""Document downloads, without a language prefix (a file is the same in every language):
`/documents/<document>/<version>/<file name>` and the preview beside it."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/<int:number>/<str:filename>", views.download, name="download"),
    path("<int:pk>/<int:number>/preview/", views.preview, name="preview"),
]
