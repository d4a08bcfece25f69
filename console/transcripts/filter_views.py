"""Saved filters of the conversation list: save the current filter under a name, delete one.

- ``/conversations/filters/``: save (POST ``name`` and ``query``, the list's query string).
- ``/conversations/filters/<id>/delete/``: delete one of one's own (POST).

Applying a saved filter is a link to the list (``/conversations/?<query>``), shown on the
list with the user's other filters. Both changes are CSRF-checked and audited (the
filter's id and the fields it uses: never its name or values). Saving needs only the
right to read conversations: a filter is the user's own and changes nothing shared.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.views.generic import View

from console.accounts.roles import WORK_CASES, RoleRequiredMixin
from console.audit.models import Kind
from console.audit.record import record
from console.transcripts.forms import ConversationFilterForm
from console.transcripts.listing import channels, domain_intents
from console.transcripts.saved_filters import (
    SavedFilterError,
    delete_filter,
    filter_query,
    query_fields,
    save_filter,
)

# The list's query string as posted is at most this long (a search is 200 characters).
QUERY_MAX_CHARS = 2000


def list_url(query: str = "") -> str:
    """Return the conversation list's address with ``query`` (none: unfiltered)."""
    base = reverse("transcripts:list")
    return f"{base}?{query}" if query else base


class SaveFilterView(RoleRequiredMixin, View):
    """Save the list's current filter under a name (POST, CSRF-checked); audited."""

    permission_required = WORK_CASES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Save it, then show the list with it applied."""
        posted = str(request.POST.get("query", ""))[:QUERY_MAX_CHARS]
        form = ConversationFilterForm(
            QueryDict(posted), channels=channels(), intents=list(domain_intents())
        )
        query = filter_query(form)
        try:
            saved, created = save_filter(request.user, str(request.POST.get("name", "")), query)
        except SavedFilterError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(list_url(query))
        record(
            request,
            Kind.SAVED_FILTER,
            target=f"saved_filter:{saved.pk}",
            detail=f"{'saved' if created else 'replaced'} filter {saved.pk}; fields: "
            + ", ".join(query_fields(query)),
        )
        verb = "saved" if created else "replaced with the current filter"
        messages.success(request, f"Filter \u201c{saved.name}\u201d {verb}.")
        return HttpResponseRedirect(list_url(query))


class DeleteFilterView(RoleRequiredMixin, View):
    """Delete one of one's own saved filters (POST, CSRF-checked); audited."""

    permission_required = WORK_CASES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Delete it, then go back to the list as it was."""
        back = list_url(str(request.POST.get("query", ""))[:QUERY_MAX_CHARS])
        saved = delete_filter(request.user, int(kwargs["filter_id"]))
        if saved is None:
            messages.info(request, "That filter is not among yours (already deleted?).")
            return HttpResponseRedirect(back)
        record(
            request,
            Kind.SAVED_FILTER,
            target=f"saved_filter:{kwargs['filter_id']}",
            detail=f"deleted filter {kwargs['filter_id']}; fields: "
            + ", ".join(query_fields(saved.query)),
        )
        messages.success(request, f"Filter \u201c{saved.name}\u201d deleted.")
        return HttpResponseRedirect(back)
