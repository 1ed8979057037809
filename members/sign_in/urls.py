from django.urls import path

from . import views

# Included in members/urls.py, under the "members" namespace. Not under members/: that is
# where an organization's page is, by its slug.
urlpatterns = [
    path("sign-in/", views.member_sign_in, name="member_sign_in"),
    path("sign-in/link/", views.member_sign_in_link, name="member_sign_in_link"),
    path("sign-out/", views.member_sign_out, name="member_sign_out"),
]
