"""Caching: whole public pages, the tags that renew them, the fail-soft cache backends, and the
last good copy while the database is away.
"""
