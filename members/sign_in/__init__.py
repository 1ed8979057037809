"""The members' sign-in: a personal, expiring link sent by mail (docs/members-sign-in.md)."""
