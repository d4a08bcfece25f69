"""Conversations: the list, one transcript, and the reviewed mark; every read is audited.

- ``/conversations/``: every conversation, filtered and searched, 50 a page, with the
  user's saved filters (saved and deleted in :mod:`console.transcripts.filter_views`).
- ``/conversations/P-<key>/``: one conversation's transcript, 200 turns a page, with
  the patient's plans and check-ins beside it; ``P-<key>`` is a keyed hash
  (:func:`console.transcripts.index.conversation_key`), never the sender id (for SMS
  that is a phone number).
- ``/conversations/<case id>/``: the same transcript reached from a case, opened at
  the message that raised it, which is marked.
- ``/conversations/P-<key>/review/``: mark reviewed or take the mark off (POST).

The transcript also shows the conversation's tags and private notes, changed through
:mod:`console.annotations`; the reviewed mark, tags and notes need
:data:`~console.accounts.roles.ANNOTATE`, reading them only the right to read conversations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from console.accounts.roles import ANNOTATE, WORK_CASES, RoleRequiredMixin
from console.annotations.models import NOTE_MAX_CHARS
from console.annotations.notes import notes_of
from console.annotations.render import message_tags_html
from console.annotations.tags import suggestions, tag_summary
from console.audit.models import Kind
from console.audit.record import record
from console.cases.masking import mask_phone, pseudonym
from console.cases.queue import Case, case_or_404
from console.retention.models import LegalHold
from console.review.forms import TIER_CHOICES as VERDICT_TIERS
from console.review.verdicts import alert_keys, verdicts_by_event
from console.takeover.state import takeover_of
from console.transcripts.forms import YES, ConversationFilterForm, ReviewForm
from console.transcripts.index import conversation_key, refresh_index
from console.transcripts.lines import transcript_page
from console.transcripts.listing import (
    PER_PAGE,
    TIER_NAMES,
    channels,
    conversations,
    domain_intents,
    list_rows,
)
from console.transcripts.models import Conversation
from console.transcripts.plans import patient_plans
from console.transcripts.review import mark_reviewed, review_of, unmark_reviewed
from console.transcripts.saved_filters import filter_query, filters_of


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return str(query.urlencode())


def _page_number(request: HttpRequest) -> int | None:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() else None


def indexed(key: str) -> Conversation:
    """Return the indexed conversation at ``key``, refreshing the index once if needed.

    Raises:
        Http404: no conversation has that key.
    """
    row = Conversation.objects.filter(key=key).first()
    if row is None:
        refresh_index()
        row = Conversation.objects.filter(key=key).first()
    if row is None:
        raise Http404("no such conversation")
    found: Conversation = row
    return found


class ConversationListView(RoleRequiredMixin, TemplateView):
    """Every conversation, most recently active first; filters, search and pages."""

    permission_required = WORK_CASES
    template_name = "transcripts/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return one page of matching conversations; audit the read."""
        context = super().get_context_data(**kwargs)
        refresh_index()
        form = ConversationFilterForm(
            self.request.GET or None, channels=channels(), intents=list(domain_intents())
        )
        filters = form.chosen() if form.is_bound else {}
        page = Paginator(conversations(filters), PER_PAGE).get_page(_page_number(self.request))
        rows = list_rows(page.object_list)
        record(
            self.request,
            Kind.CONVERSATION_LIST_VIEW,
            target="conversations",
            detail=f"{_query_without_page(self.request)}; page {page.number}; "
            f"{page.paginator.count} match; shown " + ",".join(row.patient for row in rows),
        )
        context.update(
            form=form,
            page_obj=page,
            rows=rows,
            filtered=bool(filters),
            query=_query_without_page(self.request),
            saved_filters=filters_of(self.request.user),
            current_filter=filter_query(form) if form.is_bound else "",
            tag_suggestions=suggestions(),
        )
        result: dict[str, Any] = context
        return result


@dataclass(frozen=True)
class Subject:
    """Whose transcript is read, and from where (a case or the list)."""

    sender_id: str
    conversation: Conversation | None
    case: Case | None
    audit_target: str


class TranscriptBase(RoleRequiredMixin, TemplateView):
    """A conversation's transcript page, its plans and its mark; the read is audited."""

    permission_required = WORK_CASES
    template_name = "transcripts/transcript.html"

    def subject(self, **kwargs: Any) -> Subject:
        """Return the conversation to show (subclasses say how it is named)."""
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the transcript page and what is shown beside it."""
        context = super().get_context_data(**kwargs)
        subject = self.subject(**kwargs)
        alert = subject.case.alert.alert_key if subject.case else None
        page = transcript_page(
            subject.sender_id,
            _page_number(self.request),
            alert=alert,
            alert_keys=alert_keys(subject.sender_id),
        )
        conversation = subject.conversation
        can_annotate = bool(self.request.user.has_perm(ANNOTATE))
        tags = tag_summary(subject.sender_id)
        message_tags = (
            message_tags_html(
                (e.event_id for turn in page.turns for e in turn.entries if e.is_message),
                tags.by_event,
                key=conversation.key,
                csrf_token=get_token(self.request),
                next_url=self.request.get_full_path(),
                can_annotate=can_annotate,
            )
            if conversation is not None
            else {}
        )
        record(
            self.request,
            Kind.TRANSCRIPT_VIEW,
            target=subject.audit_target,
            detail=f"{page.messages} messages; page {page.number} of {page.pages}",
        )
        context.update(
            case=subject.case,
            conversation=conversation,
            tier=TIER_NAMES.get(conversation.tier_rank, "none") if conversation else "",
            patient=pseudonym(subject.sender_id),
            phone=mask_phone(subject.sender_id),
            page=page,
            plans=patient_plans(subject.sender_id),
            review=review_of(subject.sender_id),
            verdicts=verdicts_by_event(subject.sender_id),
            verdict_tiers=VERDICT_TIERS,
            legal_hold=LegalHold.objects.filter(sender_id=subject.sender_id)
            .select_related("by")
            .first(),
            takeover=takeover_of(subject.sender_id),
            takeover_key=conversation_key(subject.sender_id),
            can_annotate=can_annotate,
            tags=tags,
            message_tags=message_tags,
            tag_suggestions=suggestions() if can_annotate else [],
            notes=notes_of(subject.sender_id),
            note_max_chars=NOTE_MAX_CHARS,
        )
        result: dict[str, Any] = context
        return result


class ConversationView(TranscriptBase):
    """A conversation opened from the list, by its key."""

    def subject(self, **kwargs: Any) -> Subject:
        """Return the conversation named by the key in the URL."""
        conversation = indexed(str(kwargs["key"]))
        return Subject(
            sender_id=conversation.sender_id,
            conversation=conversation,
            case=None,
            audit_target=f"conversation:{conversation.key}",
        )


class TranscriptView(TranscriptBase):
    """A case's conversation, opened at the message that raised it."""

    def subject(self, **kwargs: Any) -> Subject:
        """Return the case's conversation."""
        case = case_or_404(int(kwargs["alert_id"]))
        sender_id = case.alert.conversation_id
        conversation = Conversation.objects.filter(sender_id=sender_id).first()
        if conversation is None and refresh_index():
            conversation = Conversation.objects.filter(sender_id=sender_id).first()
        return Subject(
            sender_id=sender_id,
            conversation=conversation,
            case=case,
            audit_target=f"case:{case.alert.id}",
        )


class ReviewView(RoleRequiredMixin, View):
    """Mark a conversation reviewed, or take the mark off (POST, CSRF-checked); audited."""

    permission_required = ANNOTATE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Set or clear the mark, then go back where the clinician came from."""
        conversation = indexed(str(kwargs["key"]))
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        back = back or reverse("transcripts:detail", args=[conversation.key])
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The mark could not be read; please try again.")
            return HttpResponseRedirect(back)
        patient = pseudonym(conversation.sender_id)
        if form.cleaned_data["reviewed"] == YES:
            changed = mark_reviewed(conversation.sender_id, request.user)
            done = f"Conversation {patient} is marked reviewed."
            already = f"Conversation {patient} was already marked reviewed."
            detail = "marked reviewed"
        else:
            changed = unmark_reviewed(conversation.sender_id)
            done = f"Conversation {patient} is no longer marked reviewed."
            already = f"Conversation {patient} was not marked reviewed."
            detail = "reviewed mark removed"
        if changed:
            record(
                request,
                Kind.CONVERSATION_REVIEW,
                target=f"conversation:{conversation.key}",
                detail=detail,
            )
            messages.success(request, done)
        else:
            messages.info(request, already)
        return HttpResponseRedirect(back)
