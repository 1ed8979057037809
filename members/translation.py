"""The members' text in both languages (django-modeltranslation): each field below has a column
per language (`name_en`, `name_zh_hans`); reading `name` gives the active language's value, or
the English one when the Chinese is missing (docs/architecture.md, "Content in two languages")."""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import Body, Organization, Position


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "short_name")
    # An organization's name is unique: a missing translation is NULL, not "", so that two
    # organizations without a Chinese name do not collide.
    empty_values = {"name": None}


@register(Body)
class BodyTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Position)
class PositionTranslationOptions(TranslationOptions):
    # A position's title ("Director General of the Bureau of International Cooperation"),
    # shown instead of its role; empty when the role says it all.
    fields = ("title",)


# Their history keeps both languages too (django-simple-history copies every column).
translator.register(Organization.history.model, OrganizationTranslationOptions)
translator.register(Body.history.model, BodyTranslationOptions)
translator.register(Position.history.model, PositionTranslationOptions)
