"""Finds the words of a template that a visitor reads but no translation tag covers.

The template is split with Django's own Lexer; the text inside `{% translate %}`,
`{% blocktranslate %}` and `{% comment %}` is dropped, variables and other tags become a
neutral placeholder, and of the rest the HTML markup (tags with their attributes, scripts,
styles, entities) is removed. What remains in Latin letters is untranslated text, apart from a
few names that are the same in every language (ALLOWED)."""

import re
from pathlib import Path

from django.template.base import Lexer, TokenType

#: Words written the same in English and Chinese pages.
ALLOWED = {"ANSO", "iCal", "CSV", "XML", "FreeOTP", "Aegis", "Google", "Authenticator"}

_SKIPPED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
_MARKUP = [
    re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"<[^>]*>", re.S),
    re.compile(r"&[a-zA-Z]+;|&#\d+;"),
]
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")


def visible_text(source: str) -> str:
    parts: list[str] = []
    closing = None
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in _SKIPPED_BLOCKS:
                closing = _SKIPPED_BLOCKS[name]
            elif name == "comment":
                closing = "endcomment"
            parts.append("\x00")
        elif token.token_type == TokenType.VAR:
            parts.append("\x00")
    text = "".join(parts)
    for pattern in _MARKUP:
        text = pattern.sub(" ", text)
    return text


def untranslated_words(path: Path) -> list[str]:
    words = _WORD.findall(visible_text(path.read_text()))
    return [word for word in words if word not in ALLOWED]
