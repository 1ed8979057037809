"""Posting to admin add and change views, inline management forms included."""

from django.test import Client
from django.utils import translation


def inline_management_data(client: Client, url: str) -> dict[str, str]:
    """The management-form fields of every inline on the admin page at `url`, with no rows
    (or the existing rows left out: an edit that does not touch the inlines)."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def admin_post(client: Client, url: str, data: dict):
    return client.post(url, {**inline_management_data(client, url), **data})


def form_errors(response) -> dict[str, list[str]]:
    """The errors of the main form of an admin add/change page that was re-rendered."""
    assert response.status_code == 200, "expected the form again, with errors"
    return {
        field: list(errors) for field, errors in response.context["adminform"].form.errors.items()
    }


def get_in_language(client: Client, language: str, path):
    """GET the page `path()` gives (called with `language` active, so that a language prefix
    in the URL is the right one) in `language`, as a browser asking for it would. The
    language active before is active again after (the middleware's choice does not leak into
    the rest of the test)."""
    with translation.override(language):
        return client.get(path(), headers={"accept-language": language})
