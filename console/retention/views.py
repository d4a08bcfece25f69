"""Admins' retention pages: a conversation's legal hold, and erasing a patient.

- ``/conversations/P-<key>/hold/``: set or clear the legal hold (POST, CSRF); audited.
- ``/conversations/P-<key>/erase/``: what would be erased, per store, and a form that
  asks for the patient's pseudonym (and, with open cases, a tick to erase them too);
  a conversation under a legal hold is refused until the hold is cleared;
  the POST erases everywhere (:func:`console.retention.erasure.erase_conversation`)
  and writes the audit row in the same transaction: an erasure id and the counts,
  never the sender id, pseudonym or number.

Both need :data:`console.accounts.roles.ERASE_PATIENTS` (admins): a clinician gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import View

from console.accounts.roles import ERASE_PATIENTS, RoleRequiredMixin
from console.audit.models import Kind
from console.audit.record import record
from console.cases.masking import pseudonym
from console.retention.erasure import (
    LegalHoldError,
    OpenCasesError,
    alert_ids,
    count_conversation,
    counts_text,
    erase_conversation,
    erasure_id,
    open_case_count,
)
from console.retention.forms import YES, EraseForm, HoldForm
from console.retention.models import LegalHold
from console.retention.stores import store_names
from console.transcripts.models import Conversation
from console.transcripts.views import indexed


def held(conversation: Conversation) -> bool:
    """Return whether the conversation is under a legal hold."""
    return bool(LegalHold.objects.filter(sender_id=conversation.sender_id).exists())


class HoldView(RoleRequiredMixin, View):
    """Set or clear a conversation's legal hold (POST); audited."""

    permission_required = ERASE_PATIENTS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Change the hold, then go back to the transcript."""
        conversation = indexed(str(kwargs["key"]))
        back = reverse("transcripts:detail", args=[conversation.key])
        form = HoldForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The hold could not be read; please try again.")
            return HttpResponseRedirect(back)
        patient = pseudonym(conversation.sender_id)
        if form.cleaned_data["hold"] == YES:
            try:
                with transaction.atomic():
                    LegalHold.objects.create(sender_id=conversation.sender_id, by=request.user)
                changed, done = True, f"Conversation {patient} is under a legal hold."
            except IntegrityError:
                changed, done = False, f"Conversation {patient} was already under a legal hold."
            detail = "legal hold set"
        else:
            deleted, _ = LegalHold.objects.filter(sender_id=conversation.sender_id).delete()
            changed = bool(deleted)
            done = (
                f"The legal hold on conversation {patient} is cleared."
                if changed
                else f"Conversation {patient} had no legal hold."
            )
            detail = "legal hold cleared"
        if changed:
            record(
                request, Kind.LEGAL_HOLD, target=f"conversation:{conversation.key}", detail=detail
            )
            messages.success(request, done)
        else:
            messages.info(request, done)
        return HttpResponseRedirect(back)


class EraseView(RoleRequiredMixin, View):
    """Show what erasing a patient removes; erase on a confirmed POST."""

    permission_required = ERASE_PATIENTS
    template_name = "retention/erase.html"

    def _page(
        self, request: HttpRequest, conversation: Conversation, form: EraseForm, status: int = 200
    ) -> HttpResponse:
        counts = count_conversation(conversation.sender_id)
        order = store_names()
        rows = [(table, counts[table]) for table in order if table in counts]
        return render(
            request,
            self.template_name,
            {
                "conversation": conversation,
                "patient": form.expected,
                "rows": rows,
                "total": sum(counts.values()),
                "open_cases": form.open_cases,
                "held": held(conversation),
                "form": form,
            },
            status=status,
        )

    def _form(self, conversation: Conversation, data: Any = None) -> EraseForm:
        return EraseForm(
            data,
            expected=pseudonym(conversation.sender_id),
            open_cases=open_case_count(alert_ids(conversation.sender_id)),
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Show the counts per store and the confirmation form."""
        conversation = indexed(str(kwargs["key"]))
        return self._page(request, conversation, self._form(conversation))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Erase once the pseudonym (and, with open cases, the tick) confirm it."""
        conversation = indexed(str(kwargs["key"]))
        form = self._form(conversation, request.POST)
        if not form.is_valid():
            return self._page(request, conversation, form, status=400)
        if held(conversation):
            return self._page(request, conversation, self._form(conversation), status=409)
        erasure = erasure_id()
        try:
            with transaction.atomic():
                counts = erase_conversation(
                    conversation.sender_id,
                    include_open_cases=bool(form.cleaned_data["include_open_cases"]),
                )
                record(
                    request, Kind.ERASURE, target=f"erasure:{erasure}", detail=counts_text(counts)
                )
        except (OpenCasesError, LegalHoldError):
            # A case was raised, or a hold set, between the page and the POST: ask again.
            return self._page(request, conversation, self._form(conversation), status=409)
        messages.success(
            request,
            f"The patient's data is erased: {sum(counts.values())} rows. Erasure {erasure} "
            "is in the audit.",
        )
        return HttpResponseRedirect(reverse("transcripts:list"))
