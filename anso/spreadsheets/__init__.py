"""Spreadsheets in and out of the admin (django-import-export): the safe file formats
(formats.py), the building blocks of import resources (widgets.py) and the admin's import and
export screens (admin.py)."""
