"""Site search: one box in the header, over what the public pages show, in both languages
(docs/search.md). `kinds.py` says what each kind of record searches and who may find it,
`backends.py` how the database matches and ranks (full text and trigrams on PostgreSQL,
`icontains` on SQLite, chosen by the database's vendor in one place), `highlight.py` which
parts of a text matched, `selectors.py` the reads the page shows."""
