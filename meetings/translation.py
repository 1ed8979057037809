"""The meetings' text in both languages (django-modeltranslation): each field below has a column
per language (`title_en`, `title_zh_hans`); reading `title` gives the active language's value,
or the English one when the Chinese is missing (docs/architecture.md, "Content in two
languages")."""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import (
    Action,
    ActionProgress,
    AgendaItem,
    Decision,
    Document,
    Letterhead,
    Meeting,
    MinutesPart,
    Session,
)


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "venue", "city", "summary", "reported_attendance")


@register(Session)
class SessionTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Decision)
class DecisionTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Action)
class ActionTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    # An action's title is unique: a missing translation is NULL, not "".
    empty_values = {"title": None}


@register(ActionProgress)
class ActionProgressTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Document)
class DocumentTranslationOptions(TranslationOptions):
    fields = ("title",)


# Their history keeps both languages too (django-simple-history copies every column).
translator.register(Meeting.history.model, MeetingTranslationOptions)
translator.register(Session.history.model, SessionTranslationOptions)
translator.register(AgendaItem.history.model, AgendaItemTranslationOptions)
translator.register(Decision.history.model, DecisionTranslationOptions)
translator.register(Action.history.model, ActionTranslationOptions)
translator.register(Document.history.model, DocumentTranslationOptions)
translator.register(ActionProgress.history.model, ActionProgressTranslationOptions)


@register(Letterhead)
class LetterheadTranslationOptions(TranslationOptions):
    fields = ("address", "signatory_title")


translator.register(Letterhead.history.model, LetterheadTranslationOptions)


@register(MinutesPart)
class MinutesPartTranslationOptions(TranslationOptions):
    fields = ("heading", "text")


translator.register(MinutesPart.history.model, MinutesPartTranslationOptions)
