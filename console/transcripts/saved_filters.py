"""Saved filters: a clinician names the conversation list's current filter and applies it later.

A saved filter is the list's query string, rebuilt from the filters the form accepted
(:func:`filter_query`), so a value the form refused is never saved and applying one is
a plain link to ``/conversations/?<query>``. Each belongs to one user, who alone sees,
applies and deletes it; saving under a name already used replaces that filter. The
audit (written by the views) names the filter by id and the fields it uses, never its
name or values, which may hold words searched for::

    query = filter_query(form)                 # "tier=emergency&tag=sciatica"
    saved, created = save_filter(user, "Sciatica emergencies", query)
    filters_of(user)                           # the user's filters, by name
    delete_filter(user, saved.pk)              # the deleted filter, or None
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.db import IntegrityError, transaction

from console.transcripts.forms import ConversationFilterForm
from console.transcripts.models import SavedFilter

NAME_MAX_CHARS = 80
MAX_PER_USER = 50


class SavedFilterError(ValueError):
    """Raised when a filter cannot be saved; the message says why, for the clinician."""


def filter_query(form: ConversationFilterForm) -> str:
    """Return the query string of the form's valid, non-empty filters, in the form's order."""
    chosen = form.chosen()
    pairs = [
        (name, value.isoformat() if isinstance(value, date) else str(value))
        for name in form.fields
        if (value := chosen.get(name)) not in (None, "")
    ]
    return urlencode(pairs)


def query_fields(query: str) -> list[str]:
    """Return the names of the filters a saved query uses, in its order."""
    return [name for name, _ in parse_qsl(query)]


def clean_name(name: str) -> str:
    """Return the name as stored: one space between words, no control characters.

    Raises:
        SavedFilterError: it is empty or too long.
    """
    cleaned = " ".join("".join(c for c in name if c.isprintable() or c.isspace()).split())
    if not cleaned:
        raise SavedFilterError("Give the filter a name.")
    if len(cleaned) > NAME_MAX_CHARS:
        raise SavedFilterError(f"A filter's name is at most {NAME_MAX_CHARS} characters long.")
    return cleaned


def filters_of(user: Any) -> list[SavedFilter]:
    """Return the user's saved filters, by name."""
    return list(SavedFilter.objects.filter(user=user).order_by("name", "id"))


def save_filter(user: Any, name: str, query: str) -> tuple[SavedFilter, bool]:
    """Save ``query`` as the user's filter ``name``; say whether it is new (False: replaced).

    Raises:
        SavedFilterError: no filter chosen, a bad name, or the user has too many.
    """
    if not query:
        raise SavedFilterError("Choose at least one filter before saving it.")
    cleaned = clean_name(name)
    existing: SavedFilter | None = SavedFilter.objects.filter(user=user, name=cleaned).first()
    if existing is not None:
        existing.query = query
        existing.save(update_fields=["query"])
        return existing, False
    if SavedFilter.objects.filter(user=user).count() >= MAX_PER_USER:
        raise SavedFilterError(f"You have {MAX_PER_USER} saved filters: delete one first.")
    try:
        with transaction.atomic():
            saved: SavedFilter = SavedFilter.objects.create(user=user, name=cleaned, query=query)
    except IntegrityError:
        # Saved under the same name a moment ago (another tab): replace that one.
        SavedFilter.objects.filter(user=user, name=cleaned).update(query=query)
        return SavedFilter.objects.get(user=user, name=cleaned), False
    return saved, True


def delete_filter(user: Any, filter_id: int) -> SavedFilter | None:
    """Delete the user's own filter ``filter_id``; return it (None: not theirs, or gone)."""
    saved: SavedFilter | None = SavedFilter.objects.filter(pk=filter_id, user=user).first()
    if saved is None:
        return None
    deleted, _ = SavedFilter.objects.filter(pk=saved.pk).delete()
    return saved if deleted else None
