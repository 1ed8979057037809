from anso.links import SiteSitemap

from .models import Organization


class OrganizationSitemap(SiteSitemap):
    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Organization.objects.current_members().order_by("name_en")
