"""The Simplified Chinese catalogue (locale/zh_Hans): complete, without fuzzy entries, with
the placeholders of each message, and the committed .mo compiled from the committed .po."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|<[^>]+>")


def _translations(entries) -> dict[tuple[str | None, str], tuple[str, ...]]:
    found = {}
    for entry in entries:
        if not entry.msgid:
            continue
        if entry.msgid_plural:
            strings = tuple(entry.msgstr_plural[key] for key in sorted(entry.msgstr_plural))
        else:
            strings = (entry.msgstr,)
        found[entry.msgctxt, entry.msgid] = strings
    return found


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    # One form per plural message: Chinese has no grammatical number.
    for entry in catalogue:
        if entry.msgid_plural:
            assert list(entry.msgstr_plural) == [0], entry.msgid


def test_each_translation_keeps_the_placeholders_and_markup_of_its_message():
    catalogue = polib.pofile(str(PO))
    for entry in catalogue.translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for translation in _translations([entry])[entry.msgctxt, entry.msgid]:
            assert sorted(PLACEHOLDER.findall(translation)) == expected, entry.msgid


def test_the_committed_mo_is_compiled_from_the_committed_po():
    """The site runs without gettext installed: the compiled catalogue is committed. After
    editing the .po, `manage.py compilemessages` (docs/architecture.md)."""
    assert _translations(polib.mofile(str(MO))) == _translations(
        polib.pofile(str(PO)).translated_entries()
    )


def test_the_catalogue_holds_every_message_of_the_code_and_templates(tmp_path):
    """makemessages on a copy of the project finds nothing new, untranslated or fuzzy."""
    if shutil.which("xgettext") is None:
        if os.environ.get("ANSO_REQUIRE_GETTEXT"):
            pytest.fail("xgettext is missing (apt-get install gettext)")
        pytest.skip("xgettext is not installed (CI installs gettext)")
    base = Path(settings.BASE_DIR)
    for name in ("anso", "meetings", "members", "templates", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "manage.py", tmp_path)
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "anso.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in extracted.untranslated_entries()]
    fuzzy = [entry.msgid for entry in extracted.fuzzy_entries()]
    assert missing == [], "run makemessages and translate these"
    assert fuzzy == [], "check and unmark these"


def test_django_s_own_messages_keep_django_s_words():
    """An installed app's catalogue outranks Django's own (rest_framework translates "This
    field is required." in other words): every message Django translates reads as Django
    words it on the site's pages, whichever app also carries it."""
    from django.apps import apps
    from django.utils import translation

    django_mo = Path(__import__("django").__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES"
    django_words = {
        entry.msgid: entry.msgstr
        for entry in polib.mofile(str(django_mo / "django.mo"))
        if entry.msgid and not entry.msgid_plural and not entry.msgctxt
    }
    others = set()
    for app in apps.get_app_configs():
        mo = Path(app.path) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
        if mo.exists() and not app.name.startswith("django."):
            others |= {entry.msgid for entry in polib.mofile(str(mo)) if not entry.msgctxt}
    shared = sorted(others & set(django_words))
    assert "This field is required." in shared  # the check reaches rest_framework's catalogue
    with translation.override("zh-hans"):
        changed = [msgid for msgid in shared if translation.gettext(msgid) != django_words[msgid]]
    assert changed == [], "add Django's words for these to locale/zh_Hans (django.po)"
