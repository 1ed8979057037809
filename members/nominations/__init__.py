"""Nominations of contact persons and experts to the working group: the public form, the
submitter's confirmation link and the Secretariat's review. Its models belong to the members
app (imported by members/models.py)."""
