"""The Secretariat's workbench: what the admin's home page shows of meetings (entries of the
"needs attention" panel, a card per coming meeting) and each meeting's control page."""
