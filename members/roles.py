"""The Secretariat group: exactly the permissions the alliance's staff need in the admin.

The group is created and kept up to date by data migrations that call
`ensure_secretariat_group`, and after every migrate by `ensure_groups` (connected in
members/apps.py). An app that adds a model the Secretariat edits adds it to
`SECRETARIAT_PERMISSIONS` and ships a migration that calls the function again.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

SECRETARIAT_GROUP = "Secretariat"

EDIT = ("view", "add", "change")
EDIT_AND_DELETE = (*EDIT, "delete")

#: app label -> model name -> actions. Organizations, people, bodies and meetings are never
#: deleted by staff (history matters; records that others point to are protected anyway).
SECRETARIAT_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "members": {
        "organization": EDIT,
        # "erase": erase a person on request (members/personal_data/); the record of each
        # erasure is read-only.
        "person": (*EDIT, "erase"),
        "erasure": ("view",),
        "body": ("view", "change"),
        "position": EDIT_AND_DELETE,
        # Nominations come from the public form; staff review them (approve/reject need
        # "change") and read their audit trail, which nobody edits.
        "nomination": ("view", "change"),
        "nominationevent": ("view",),
    },
    "meetings": {
        "meeting": EDIT,
        "session": EDIT_AND_DELETE,
        "agendaitem": EDIT_AND_DELETE,
        "speaker": EDIT_AND_DELETE,
        "participation": EDIT_AND_DELETE,
        "decision": EDIT_AND_DELETE,
        "action": EDIT_AND_DELETE,
        # Progress notes of actions: edited in the action's form (an inline).
        "actionprogress": EDIT_AND_DELETE,
        "registrationwindow": EDIT_AND_DELETE,
        "participationevent": ("view",),
        # Invitations and announcements: sent through the composer ("send"), never added
        # in the admin; recipients are written by the site only.
        "mailing": ("view", "send"),
        "mailingrecipient": ("view",),
        "recipientlist": EDIT_AND_DELETE,
        # Documents: the Secretariat uploads (a new version is a change of its document) and
        # deletes them; versions are written by the upload only.
        "document": EDIT_AND_DELETE,
        "documentversion": ("view",),
        # Papers (meetings/papers/): the letterhead is one row, edited in place; papers are
        # issued by the services and revoked by an action ("change").
        "letterhead": ("view", "change"),
        "paper": ("view", "change"),
        # Visa letter requests: made by the registration form, approved or refused by
        # actions ("change"); their passport details are seen by the Secretariat only.
        "visarequest": ("view", "change"),
        # Minutes (meetings/record/): written in the admin with their parts, never deleted;
        # circulated and approved by actions ("change"); revisions are kept by each save.
        "minutes": EDIT,
        "minutespart": EDIT_AND_DELETE,
        "minutesrevision": ("view",),
        # Matters arising (meetings/record/arising.py): the lines listed under the item of a
        # meeting's programme, added and removed in the item's inline.
        "mattersarising": EDIT_AND_DELETE,
        # Batches of papers the worker made (meetings/papers/batches.py): written by the site
        # and the worker only.
        "paperbatch": ("view",),
        # Votes on decisions (meetings/record/votes/): the Secretariat sets a vote up, opens it,
        # records a meeting's counts and closes it through the services; ballots and
        # delegations are cast by the members' contact persons only.
        "vote": EDIT,
        "ballot": ("view",),
        "delegation": ("view",),
        # The members' comments on circulated minutes: written through their links only;
        # the Secretariat decides each one ("change"), never adds or deletes one.
        "minutescomment": ("view", "change"),
    },
    # Failed sign-ins (django-axes): staff read them and unlock an account by deleting its
    # records (the "Unlock sign-in" action of anso/security/login_attempts_admin.py).
    "axes": {"accessattempt": ("view", "delete")},
    "anso": {
        # Mail the site sent or could not send ("send again" needs "change"), and the
        # spreadsheet imports; both are written by the site only.
        "outgoingmail": ("view", "change"),
        "importjob": ("view",),
        # Their own large exports (anso/background/exports.py), written by the worker.
        "exportjob": ("view",),
    },
}


def secretariat_codenames() -> set[tuple[str, str]]:
    return {
        (app_label, f"{action}_{model}")
        for app_label, models in SECRETARIAT_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }


def ensure_secretariat_group(apps, schema_editor=None):
    """Create the Secretariat group and give it exactly SECRETARIAT_PERMISSIONS.

    Works inside a migration: permissions are normally created after `migrate` finishes, so
    they are created here first for the models that exist at this point of the history.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    _set_secretariat_permissions(apps)


def ensure_groups(sender, apps=global_apps, using="default", **kwargs):
    """Give the Secretariat group exactly SECRETARIAT_PERMISSIONS, once the permissions of
    every app exist: after the post_migrate signal of the last app that has models."""
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return

    try:
        _set_secretariat_permissions(apps, using=using)
    except LookupError:  # auth is not installed
        return


def _set_secretariat_permissions(apps, using: str = "default") -> None:
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.using(using).get_or_create(name=SECRETARIAT_GROUP)
    wanted = secretariat_codenames()
    group.permissions.set(
        permission
        for permission in permission_model.objects.using(using).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    )
