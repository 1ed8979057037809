"""Security: the staff access rule and its second factor, the client's address, rate limits, login
attempts, signed links, and input no page produces.
"""
