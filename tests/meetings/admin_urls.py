"""A URLconf with an admin site that has only the spreadsheet admins, to test the import
screens independently of the project's admin configuration."""

from django.contrib import admin
from django.urls import path

from meetings.models import Participation
from meetings.resources import ParticipantResource
from members.models import Organization
from members.resources import OrganizationResource, SpreadsheetAdminMixin

site = admin.AdminSite(name="admin")


class ParticipationImportAdmin(SpreadsheetAdminMixin, admin.ModelAdmin):
    resource_classes = [ParticipantResource]


class OrganizationImportAdmin(SpreadsheetAdminMixin, admin.ModelAdmin):
    resource_classes = [OrganizationResource]


site.register(Participation, ParticipationImportAdmin)
site.register(Organization, OrganizationImportAdmin)

urlpatterns = [path("admin/", site.urls)]
