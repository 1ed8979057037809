"""The vendored fonts (static/vendor/fonts/) hold a glyph for every character the papers print
from the demo data and the catalogue: the names in every script, the organizations, the
meetings' titles in both languages, and the papers' own text in Chinese. A character none of
them holds would be drawn by a font of the machine (tests/meetings/papers/test_certificates.py
refuses any such font in a PDF) or as a missing-glyph box."""

import functools
from pathlib import Path

import polib
from django.conf import settings
from fontTools.ttLib import TTFont

from meetings.demo import chinese, data

FONTS = Path(settings.BASE_DIR) / "static" / "vendor" / "fonts"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
#: Characters laid out without a glyph.
INVISIBLE = {" ", "\n", "\t", "\u200b"}


@functools.cache
def covered() -> frozenset[int]:
    points = set()
    for path in FONTS.glob("*/*.woff"):
        points.update(TTFont(path).getBestCmap())
    return frozenset(points)


def missing(texts) -> set[str]:
    return {
        char
        for text in texts
        for char in text
        if char not in INVISIBLE and ord(char) not in covered()
    }


def test_every_vendored_font_file_is_declared_by_the_papers_css():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "papers.css").read_text()
    files = {f"{path.parent.name}/{path.name}" for path in FONTS.glob("*/*.woff")}
    assert files and all(name in css for name in files)


def test_the_fonts_cover_the_names_in_the_demo_data():
    names = [
        part
        for person in data.PEOPLE
        for part in (person.honorific, person.given_name, person.family_name)
    ]
    names += list(chinese.ORIGINAL_NAMES.values())
    names += [organization.name for organization in data.ORGANIZATIONS]
    assert missing(names) == set()


def test_the_fonts_cover_the_chinese_text_of_the_demo_and_the_catalogue():
    texts = [str(text) for text in chinese.TRANSLATIONS.values()]
    texts += [entry.msgstr for entry in polib.pofile(str(CATALOGUE)) if entry.msgstr]
    assert missing(texts) == set()


def test_the_fonts_cover_names_in_other_scripts():
    names = ["Иван Петров", "Ελένη Παπαδοπούλου", "محمد عبد الله", "Łukasz Żółć", "Nguyễn Văn An"]
    assert missing(names) == set()
