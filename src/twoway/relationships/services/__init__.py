"""Writes for everything a pair does together, one module per area.

Every service takes keyword-only arguments, runs in one transaction, checks
that the acting participant is a partner of the pairing (services never trust
the page), and raises ActionError with a message that is safe to show.
"""
