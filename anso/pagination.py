from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.translation import gettext as _


def paginate(request, object_list, *, per_page: int, param: str = "page") -> Page:
    """The requested page of `object_list`; `last` is the last page. A page number that is
    not a number or is past the last page is a 404, as Django's ListView does (never a 500)."""
    paginator = Paginator(object_list, per_page)
    number = request.GET.get(param) or 1
    if number == "last":
        number = paginator.num_pages
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(_("There is no such page.")) from error
