"""The Secretariat group: exactly the permissions the alliance's staff need in the admin.

The group is created and kept up to date by data migrations that call
`ensure_secretariat_group`. An app that adds a model the Secretariat edits adds it to
`SECRETARIAT_PERMISSIONS` and ships a migration that calls the function again.
"""

from django.contrib.auth.management import create_permissions

SECRETARIAT_GROUP = "Secretariat"

EDIT = ("view", "add", "change")
EDIT_AND_DELETE = (*EDIT, "delete")

#: app label -> model name -> actions. Organizations, people, bodies and meetings are never
#: deleted by staff (history matters; records that others point to are protected anyway).
SECRETARIAT_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "members": {
        "organization": EDIT,
        "person": EDIT,
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
        "registrationwindow": EDIT_AND_DELETE,
        "participationevent": ("view",),
    },
    # Failed sign-ins (django-axes): staff read them and unlock an account by deleting its
    # records (the "Unlock sign-in" action of anso/login_attempts_admin.py).
    "axes": {"accessattempt": ("view", "delete")},
    "anso": {
        # Mail the site sent or could not send ("send again" needs "change"), and the
        # spreadsheet imports; both are written by the site only.
        "outgoingmail": ("view", "change"),
        "importjob": ("view",),
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
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    wanted = secretariat_codenames()
    perms = [
        perm
        for perm in Permission.objects.select_related("content_type")
        if (perm.content_type.app_label, perm.codename) in wanted
    ]
    group.permissions.set(perms)
