"""Background work: how a task is declared, spreadsheet imports and large exports as jobs, the
periodic upkeep, and the admin of the worker's records (the outbox, import and export jobs).
"""
