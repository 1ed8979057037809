"""Files: where uploads are stored, the upload check, previews, and sending a stored file after a
permission check.
"""
