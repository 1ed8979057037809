"""Invitations and announcements: the Secretariat writes to the members from the site
(docs/invitations.md)."""
