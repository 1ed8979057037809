"""Absolute links: a path of the site on SITE_URL, and nothing else."""

import pytest

from anso.links import absolute_url


def test_absolute_url_puts_the_path_on_site_url(settings):
    settings.SITE_URL = "https://anso.example.org"
    assert absolute_url("/en/meetings/") == "https://anso.example.org/en/meetings/"
    assert absolute_url("/") == "https://anso.example.org/"


@pytest.mark.parametrize("path", ["en/meetings/", "//evil.example/", "https://evil.example/", ""])
def test_absolute_url_takes_only_a_path_of_the_site(path):
    with pytest.raises(ValueError, match="Not a path on this site"):
        absolute_url(path)
