"""Each person's rights over their data (docs/personal-data.md): what the site holds about a
person, as JSON and as a page for the member signed in; their erasure on request, kept as an
`Erasure` record; and the retention of contact details and unconfirmed nominations."""
