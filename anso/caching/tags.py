"""What a cached page shows, and which writes renew it: tags on a shared logical clock.

A *tag* names records a page shows: one record (`meetings.meeting:7`) or a kind of record
shown in lists (`meetings`, `organizations`). Pages declare their tags while they render
(`anso.caching.pages.page_shows`); writes renew tags (`bump`, or through the model's rule below).

**The clock.** The "versions" cache (shared by every worker: Redis, or the database) holds a
counter, the clock, and for each tag the clock's value at its last renewal. A page remembers
the clock's value read *before* it rendered (`clock()`); it is fresh while every one of its
tags was last renewed at or before that value. A write renews its tags once as it happens and
again when its transaction commits, so a page rendered from the rows before the commit is
stale afterwards, wherever its tags were declared in the view. A tag the cache does not hold
(never renewed, evicted, or the cache restarted empty) counts as renewed just now.

**The rules.** Each app says, for each of its models, which tags a change of a row renews
(`register`; members/cache_tags.py, meetings/cache_tags.py). Saves, deletes and
many-to-many changes run the rule through signals; an update that changes no field renews
nothing; an update that moves a row (another meeting, person, ...) renews the tags of its old
values too. Writes that bypass signals (`QuerySet.update()`, `bulk_create()`) call `changed()`
with the rows they wrote. A change of a model of the project without a rule renews everything
(`ALL`): safe, and `tests/production/test_cache_tags.py` fails until it has one.

Every change also renews `model_tag(model)`, for what is cached per table
(`cached_until_change`, the admin's row counts), and `ANY`, which a page that declares nothing
depends on (it is renewed by every write, as before tags).

The caches fail soft (anso/caching/backends.py): a renewal that cannot be stored while the versions
cache is unreachable renews everything at the next read that reaches it.
"""

import contextlib
import contextvars
import copy
import dataclasses
import functools
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from anso.caching.backends import cache_reachable

logger = logging.getLogger(__name__)

#: Every page depends on it; `bump_everything()` renews it.
ALL = "all"
#: Every change renews it; a page that declares no tags depends on it.
ANY = "any"

CLOCK_KEY = "anso:clock"
TAG_PREFIX = "anso:tag:"


def record_tag(model: type[models.Model] | models.Model, pk) -> str:
    """The tag of one record: `<app>.<model>:<pk>`."""
    return f"{model._meta.label_lower}:{pk}"


def model_tag(model: type[models.Model]) -> str:
    """Renewed by every change of the model's rows (the admin's cached counts)."""
    return f"model:{model._meta.label_lower}"


def _versions():
    return caches["versions"]


# ---------------------------------------------------------------------------------------------
# The clock


def _clock_start() -> int:
    """A clock the cache lost starts again from the time in microseconds, ahead of any value
    it had counted to (one step per renewal), so that pages stored before are not fresh."""
    return time.time_ns() // 1000


def _settle_lost() -> bool:
    """A renewal lost while the versions cache was unreachable renews everything, once it is
    reachable again: it may have come back with the tags of before. True when it did."""
    if _lost["pending"] and cache_reachable(_versions()):
        _lost["pending"] = False
        bump_everything()
        return True
    return False


def clock() -> int:
    """The clock now: read before a page renders."""
    _settle_lost()
    versions = _versions()
    value = versions.get(CLOCK_KEY)
    if value is None:
        versions.add(CLOCK_KEY, _clock_start(), timeout=None)
        value = versions.get(CLOCK_KEY)
    return value if value is not None else _clock_start()


def _tick() -> int | None:
    versions = _versions()
    try:
        return versions.incr(CLOCK_KEY)
    except ValueError:
        versions.add(CLOCK_KEY, _clock_start(), timeout=None)
    try:
        return versions.incr(CLOCK_KEY)
    except ValueError:
        return None


def tag_versions(tags: Iterable[str]) -> dict[str, int]:
    """When each tag was last renewed, on the clock; tags the cache does not hold are left out."""
    keys = {TAG_PREFIX + tag: tag for tag in tags}
    found = _versions().get_many(list(keys))
    return {keys[key]: value for key, value in found.items()}


def tag_key(tag: str) -> str:
    """The key of a tag's renewal time in the versions cache."""
    return TAG_PREFIX + tag


def fresh(tags: Iterable[str], rendered_at: int, renewed: dict[str, int] | None = None) -> bool:
    """Whether a page rendered at clock `rendered_at` and showing `tags` is still fresh.
    `renewed`: the tags' renewal times, when the caller has read them already
    (`tag_versions`, or `tag_key` in the same read as the page)."""
    tags = set(tags)
    if _settle_lost() or renewed is None:  # times read before everything was renewed are old
        renewed = tag_versions(tags)
    return len(renewed) == len(tags) and all(value <= rendered_at for value in renewed.values())


def remember(tags: Iterable[str], rendered_at: int) -> None:
    """Give the page's tags a renewal time if the cache holds none (see `fresh`)."""
    tags = set(tags)
    missing = tags - set(tag_versions(tags))
    for tag in missing:
        _versions().add(TAG_PREFIX + tag, rendered_at, timeout=None)


#: A renewal this process could not store (the versions cache was unreachable).
_lost = {"pending": False}


def _renew(tags: frozenset[str]) -> None:
    now = _tick()
    versions = _versions()
    if now is None or not cache_reachable(versions):
        _lost["pending"] = True
        return
    data = {TAG_PREFIX + tag: now for tag in tags}
    # A slower renewal must not overwrite a later one with an earlier time.
    set_at_least = getattr(versions, "set_many_at_least", None)
    if set_at_least is not None:
        set_at_least(data)
    else:
        stored = versions.get_many(list(data))
        versions.set_many(
            {key: value for key, value in data.items() if stored.get(key, 0) < value},
            timeout=None,
        )
    if not cache_reachable(versions):
        _lost["pending"] = True


class _RenewOnCommit:
    """The one commit-time renewal of a transaction: it collects the tags of every write."""

    def __init__(self):
        self.tags: set[str] = set()

    def __call__(self):
        _renew(frozenset(self.tags))


#: More tags than this collected in `renewed_once()` renew every page instead (`ALL`).
RENEW_ALL_ABOVE = 50
#: The tags collected inside `renewed_once()`, renewed when it ends; None outside it.
_collecting: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "cache_tags_collecting", default=None
)


@contextlib.contextmanager
def renewed_once():
    """Writes inside renew their tags once, at the end, instead of once per row: for work
    that writes thousands of rows where no page renders meanwhile (a spreadsheet import in
    the worker). With the database cache, a renewal per row is a write per row, and so is
    each tag of one renewal: past RENEW_ALL_ABOVE tags, every page is renewed. It yields
    the set of tags collected: emptied, nothing is renewed (the writes were rolled back)."""
    outer = _collecting.get()
    if outer is not None:  # an outer block renews them
        yield outer
        return
    tags: set[str] = set()
    token = _collecting.set(tags)
    try:
        yield tags
    finally:
        _collecting.reset(token)
        if len(tags) > RENEW_ALL_ABOVE:
            bump(ALL)  # one write, where the database cache writes a row per tag
        elif tags:
            bump(*tags)


def bump(*tags: str) -> None:
    """Renew `tags` (and `ANY`) now, and again once the current transaction commits: a page
    another connection rendered meanwhile from the old rows must not outlive the commit. One
    commit-time renewal per transaction, however many rows it writes. Inside
    `renewed_once()`, the tags are collected and renewed when it ends."""
    tags = frozenset(tags) | {ANY}
    collecting = _collecting.get()
    if collecting is not None:
        collecting |= tags
        return
    _renew(tags)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    # Still pending unless the transaction (or savepoint) that registered it rolled back.
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _RenewOnCommit):
            func.tags |= tags
            return
    pending = _RenewOnCommit()
    pending.tags |= tags
    transaction.on_commit(pending, robust=True)


def bump_everything() -> None:
    """Every page and every per-table cache is stale (generated data, a restore)."""
    bump(ALL)


def cached_until_change(key: str, compute, *, models: Iterable[type[models.Model]], timeout=3600):
    """`compute()`, cached in the default cache until a row of one of `models` changes."""
    tags = sorted({model_tag(model) for model in models} | {ALL})
    renewed = tag_versions(tags)
    if len(renewed) < len(tags):
        remember(tags, clock())
        renewed = tag_versions(tags)
    stamp = ".".join(str(renewed.get(tag, "x")) for tag in tags)
    return cache.get_or_set(f"{key}:{stamp}", compute, timeout)


# ---------------------------------------------------------------------------------------------
# The rules: which tags a change of a row renews


#: Which tags a change of a row renews: `tags(row, created=...)` from the row's primary key
#: and relations (foreign keys), never its other fields; it may query (an edit of a person
#: renews the meetings that show them). `created` is true for a row just inserted, which no
#: other record refers to yet.
TagsOf = Callable[..., Iterable[str]]


@dataclasses.dataclass
class Rule:
    #: The functions giving the tags; none: no page shows the model (logs, history).
    functions: list[TagsOf] = dataclasses.field(default_factory=list)


_rules: dict[type[models.Model], Rule] = {}
_NO_PAGE = Rule()


def register(model: type[models.Model], tags: TagsOf | None = None) -> None:
    """Say which tags a change of a row of `model` renews. Several apps may add functions
    for one model (meetings adds the meetings that show an organization); without `tags`,
    the model shows on no page (only `model_tag` is renewed)."""
    rule = _rules.setdefault(model, Rule())
    if tags is not None:
        rule.functions.append(tags)


def rule_for(model: type[models.Model]) -> Rule | None:
    """The model's rule; the history of a model (django-simple-history) and the table of a
    plain many-to-many field show on no page of their own."""
    if model in _rules:
        return _rules[model]
    if model._meta.auto_created or getattr(model, "instance_type", None) is not None:
        return _NO_PAGE
    return None


@functools.cache
def project_app_labels() -> frozenset[str]:
    """The apps that live in this repository (members, meetings, and any added later)."""
    base = Path(settings.BASE_DIR).resolve()
    return frozenset(
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base / config.name.partition(".")[0])
        and not config.name.startswith("anso")
    )


def _tracked(model) -> bool:
    return model._meta.app_label in project_app_labels()


def tags_of(
    model: type[models.Model], rows: Iterable[models.Model] = (), *, created: bool = False
) -> set[str]:
    """The tags a change of `rows` renews, by the model's rule (`ALL` without one)."""
    rule = rule_for(model)
    if rule is None:
        logger.warning("No cache rule for %s: a change renews every page", model._meta.label)
        return {ALL, model_tag(model)}
    tags = {model_tag(model)}
    for row in rows if rule.functions else ():
        for function in rule.functions:
            tags.update(function(row, created=created))
    return tags


def changed(
    model: type[models.Model], rows: Iterable[models.Model] = (), *, created: bool = False
) -> None:
    """Renew what a change of `rows` of `model` shows, for writes that send no signals."""
    bump(*tags_of(model, rows, created=created))


def _before_save(sender, instance, raw=False, **kwargs):
    rule = rule_for(sender) if _tracked(sender) else None
    if raw or rule is None or not rule.functions or instance._state.adding or instance.pk is None:
        return
    # Fields never loaded (`only()`, `defer()`) were not assigned either: unchanged.
    deferred = instance.get_deferred_fields()
    fields = [f.attname for f in sender._meta.concrete_fields if f.attname not in deferred]
    stored = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    if stored is None:
        return
    changed = {name for name in fields if stored[name] != getattr(instance, name)}
    if not changed:
        instance._cache_tags_unchanged = True
        return
    relations = {f.attname for f in sender._meta.concrete_fields if f.is_relation}
    if not changed & relations:
        return  # the rule reads relations only: the tags of the new values are the old ones
    # The row moves (to another meeting, person, ...): its old values' pages change too.
    old = copy.copy(instance)
    old._state = copy.copy(instance._state)
    old._state.fields_cache = {}
    for name, value in stored.items():
        setattr(old, name, value)
    instance._cache_tags_before = tags_of(sender, [old])


def _after_save(sender, instance, created=False, raw=False, **kwargs):
    if not _tracked(sender):
        return
    if instance.__dict__.pop("_cache_tags_unchanged", False):
        return
    tags = tags_of(sender, [instance], created=created)
    tags.update(getattr(instance, "_cache_tags_before", ()))
    instance.__dict__.pop("_cache_tags_before", None)
    bump(*tags)


def _after_delete(sender, instance, **kwargs):
    if _tracked(sender):
        bump(*tags_of(sender, [instance]))


def _m2m_changed(sender, instance, action, model, pk_set, **kwargs):
    if not (_tracked(type(instance)) or _tracked(model)):
        return
    if action not in ("pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return
    tags = tags_of(type(instance), [instance]) | tags_of(sender, [])
    if pk_set:
        tags |= tags_of(model, model._base_manager.filter(pk__in=pk_set))
    bump(*tags)


def connect_signals() -> None:
    pre_save.connect(_before_save, dispatch_uid="anso-cache-tags-pre-save")
    post_save.connect(_after_save, dispatch_uid="anso-cache-tags-post-save")
    post_delete.connect(_after_delete, dispatch_uid="anso-cache-tags-post-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="anso-cache-tags-m2m")
