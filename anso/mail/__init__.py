"""Mail: what the site calls to send mail, and the worker's dispatcher that sends it within the
shared rate.
"""
