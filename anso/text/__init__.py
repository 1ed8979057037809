"""Text: hygiene of user input, dates as pages write them, content in two languages, slugs."""
