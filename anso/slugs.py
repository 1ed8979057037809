from django.utils.text import slugify


def unique_slug(instance, value: str, *, field: str = "slug", max_length: int = 80) -> str:
    """A slug for `value` that no other row of the instance's model uses.

    Appends -2, -3, ... on collision. The unique constraint on the field stays the guarantee;
    this only picks a free value for the common case.
    """
    base = slugify(value)[:max_length].strip("-") or "item"
    model = type(instance)
    others = model._default_manager.exclude(pk=instance.pk)
    candidate, n = base, 2
    while others.filter(**{field: candidate}).exists():
        suffix = f"-{n}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return candidate
