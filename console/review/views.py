"""The review queue, verdicts on messages and their export; every read and change is audited.

- ``/review/``: conversations that raised no alert but deserve a look, each with its
  reasons, filtered by reason, 50 a page; at the top the running counts of missed red
  flags and false alarms per model version.
- ``/review/export.yml``: the verdicts as a safety-suite batch (download).
- ``/conversations/P-<key>/verdicts/``: give a verdict on one patient message (POST).
- ``/conversations/P-<key>/verdicts/<id>/withdraw/``: withdraw one (POST).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from console.accounts.configuration import fraction_text
from console.accounts.roles import WORK_CASES, RoleRequiredMixin
from console.annotations.models import Tag
from console.annotations.tags import suggestions, tags_by_conversation
from console.audit.models import Kind
from console.audit.record import record
from console.cases.masking import mask_phone, pseudonym
from console.review.export import export_yaml
from console.review.forms import ReasonFilterForm, VerdictForm
from console.review.models import Verdict, VerdictKind
from console.review.queue import review_queue
from console.review.verdicts import VerdictError, give_verdict, model_counts, withdraw_verdict
from console.transcripts.index import refresh_index
from console.transcripts.listing import PER_PAGE
from console.transcripts.models import ConversationReview
from console.transcripts.views import indexed


def _page_number(request: HttpRequest) -> int | None:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() else None


class ReviewQueueView(RoleRequiredMixin, TemplateView):
    """Conversations without an alert to look at, with reasons; counts per model version."""

    permission_required = WORK_CASES
    template_name = "review/queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return one page of the queue and the counts; audit the read."""
        context = super().get_context_data(**kwargs)
        refresh_index()
        form = ReasonFilterForm(self.request.GET or None)
        reason = form.chosen() if form.is_bound else None
        tag = form.chosen_tag() if form.is_bound else ""
        items = review_queue(
            reason,
            sample_rate=float(settings.CONSOLE_REVIEW_SAMPLE_RATE),
            min_confidence=float(settings.CONSOLE_REVIEW_MIN_CONFIDENCE),
        )
        if tag:
            tagged = set(Tag.objects.filter(tag=tag).values_list("sender_id", flat=True))
            items = [item for item in items if item.conversation.sender_id in tagged]
        page = Paginator(items, PER_PAGE).get_page(_page_number(self.request))
        shown = list(page.object_list)
        senders = [item.conversation.sender_id for item in shown]
        reviews = {
            review.sender_id: review
            for review in ConversationReview.objects.filter(sender_id__in=senders).select_related(
                "by"
            )
        }
        tags = tags_by_conversation(senders)
        rows = [
            {
                "item": item,
                "patient": pseudonym(item.conversation.sender_id),
                "phone": mask_phone(item.conversation.sender_id),
                "review": reviews.get(item.conversation.sender_id),
                "tags": tags.get(item.conversation.sender_id, []),
            }
            for item in shown
        ]
        record(
            self.request,
            Kind.REVIEW_QUEUE_VIEW,
            target="review",
            detail=f"reason {reason or 'any'}; {'tag filter; ' if tag else ''}page {page.number}; "
            f"{page.paginator.count} listed; "
            "shown " + ",".join(str(row["patient"]) for row in rows),
        )
        context.update(
            form=form,
            reason=reason,
            tag=tag,
            tag_suggestions=suggestions(),
            page_obj=page,
            rows=rows,
            counts=model_counts(),
            sample_rate=fraction_text(float(settings.CONSOLE_REVIEW_SAMPLE_RATE)),
            min_confidence=float(settings.CONSOLE_REVIEW_MIN_CONFIDENCE),
            query=urlencode([(k, v) for k, v in (("reason", reason), ("tag", tag)) if v]),
        )
        result: dict[str, Any] = context
        return result


class ExportView(RoleRequiredMixin, View):
    """The verdicts as a safety-suite batch, downloaded as YAML; audited."""

    permission_required = WORK_CASES
    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Return the YAML file."""
        verdicts = list(Verdict.objects.all())
        now = timezone.now()
        response = HttpResponse(
            export_yaml(verdicts, now), content_type="application/yaml; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="review_verdicts_{now:%Y%m%d_%H%M}.yml"'
        )
        record(request, Kind.VERDICT_EXPORT, target="verdicts", detail=f"{len(verdicts)} verdicts")
        return response


def _back(request: HttpRequest, key: str, event_id: int | None = None) -> str:
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("transcripts:detail", args=[key])
    return f"{back}#message-{event_id}" if event_id and "#" not in back else back


class VerdictView(RoleRequiredMixin, View):
    """Give a verdict on one patient message (POST, CSRF-checked); audited."""

    permission_required = WORK_CASES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Record the verdict, then go back to the message."""
        conversation = indexed(str(kwargs["key"]))
        form = VerdictForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The verdict could not be read; please try again.")
            return HttpResponseRedirect(_back(request, conversation.key))
        data = form.cleaned_data
        event_id = int(data["event"])
        try:
            verdict = give_verdict(
                conversation.sender_id,
                event_id,
                str(data["kind"]),
                str(data.get("tier") or ""),
                str(data.get("note") or ""),
                request.user,
            )
        except VerdictError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(_back(request, conversation.key, event_id))
        label = VerdictKind.LABELS[verdict.kind]
        tier = f" ({verdict.tier})" if verdict.kind == VerdictKind.MISSED else ""
        record(
            request,
            Kind.VERDICT,
            target=f"conversation:{conversation.key}",
            detail=f"gave verdict {verdict.pk}: {label}{tier}; event {event_id}; "
            f"model {verdict.model_id or 'not recorded'}",
        )
        messages.success(request, f"Marked {label}{tier}.")
        return HttpResponseRedirect(_back(request, conversation.key, event_id))


class WithdrawView(RoleRequiredMixin, View):
    """Withdraw a verdict (POST, CSRF-checked); audited."""

    permission_required = WORK_CASES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Delete the verdict, then go back to the message."""
        conversation = indexed(str(kwargs["key"]))
        verdict = withdraw_verdict(conversation.sender_id, int(kwargs["verdict_id"]))
        if verdict is None:
            messages.info(request, "That verdict was already withdrawn.")
            return HttpResponseRedirect(_back(request, conversation.key))
        label = VerdictKind.LABELS[verdict.kind]
        tier = f" ({verdict.tier})" if verdict.kind == VerdictKind.MISSED else ""
        record(
            request,
            Kind.VERDICT,
            target=f"conversation:{conversation.key}",
            detail=f"withdrew verdict {verdict.pk or kwargs['verdict_id']}: {label}{tier}; "
            f"event {verdict.event_id}; given by {verdict.by.get_username()}",
        )
        messages.success(request, f"Verdict withdrawn ({label}{tier}).")
        return HttpResponseRedirect(_back(request, conversation.key, int(verdict.event_id)))
