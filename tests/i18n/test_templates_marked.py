"""Every word a visitor reads in a template is inside {% translate %} or
{% blocktranslate %} (tests/i18n/template_text.py says what counts)."""

from pathlib import Path

from django.conf import settings

from .template_text import untranslated_words, visible_text

TEMPLATES = Path(settings.BASE_DIR) / "templates"
#: Templates read by machines, not people: their words are a protocol's.
MACHINE_READ = {"robots.txt"}


def test_no_template_has_unmarked_text():
    unmarked = {
        str(path.relative_to(TEMPLATES)): words
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in (".html", ".txt")
        and path.name not in MACHINE_READ
        and (words := untranslated_words(path))
    }
    assert unmarked == {}


def test_the_check_sees_text_and_ignores_markup_tags_and_translations(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<p class="lead" title="{{ title }}">{% translate "Hello" %} {{ name }}'
        "</p>{% blocktranslate %}Seen by {{ who }}{% endblocktranslate %}"
        "{% comment %}a note{% endcomment %}<script>var x = 1;</script>"
        "<a href=\"{% url 'home' %}\">Home page</a> &nbsp; ANSO"
    )
    assert untranslated_words(template) == ["Home", "page"]
    assert "lead" not in visible_text(template.read_text())
