"""The site's URLs and one staff page that checks is_staff only, not the staff rule: for the
test that shows the permission matrix catches such a page."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.urls import path

from anso.urls import urlpatterns as site_urlpatterns


@staff_member_required
def stray_staff_page(request):
    return HttpResponse("staff only")


urlpatterns = [*site_urlpatterns, path("stray/", stray_staff_page, name="stray_staff_page")]
