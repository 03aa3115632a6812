"""Errors that services and selectors raise, and every edge (pages, API) maps the same way."""

from __future__ import annotations

from django.http import Http404


class NotFound(Http404):
    """The object does not exist, or this person may not know that it does.

    Pages answer 404 for both, so that probing ids reveals nothing.
    """


class ActionError(Exception):
    """An action that cannot be done as asked; the message is safe to show the user.

    `field` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
