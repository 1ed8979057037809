from . import admin_nominations  # noqa: F401
