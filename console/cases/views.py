"""The case queue, one case, and its next step; every read and change is audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from console.accounts.roles import WORK_CASES, RoleRequiredMixin
from console.audit.models import Kind
from console.audit.record import record
from console.cases import deadlines
from console.cases.forms import StepForm
from console.cases.models import CaseTransition, State
from console.cases.queue import SHOW_CHOICES, build_queue, case_or_404, realerts_for
from console.cases.workflow import StepRefused, advance, note_required
from console.takeover.state import WRITABLE_CHANNELS
from console.transcripts.index import conversation_key

# The session remembers the cases an automatic refresh last showed, so that a refresh
# showing the same cases again is not audited a second time (a change is).
LAST_SHOWN = "console_queue_last_shown"


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or "1"))
    except ValueError:
        return 1


def queue_context(request: HttpRequest, automatic: bool) -> dict[str, Any]:
    """Return what the queue shows for ``request``'s ``show`` and ``page``; audit the read."""
    queue = build_queue(request.GET.get("show", "open"), _page_number(request.GET.get("page")))
    show = queue.show
    where = f"show={show}" + (f"&page={queue.page}" if queue.page > 1 else "")
    target = f"queue:{show}" + (f" page {queue.page}" if queue.page > 1 else "")
    ids = ",".join(str(case.alert.id) for case in queue.cases)
    shown = f"{target} {ids}"
    if not automatic or request.session.get(LAST_SHOWN) != shown:
        record(
            request,
            Kind.QUEUE_VIEW,
            target=target,
            detail=("auto-refresh; " if automatic else "") + "cases " + ids,
        )
        request.session[LAST_SHOWN] = shown
    cases_url = reverse("cases:list")
    return {
        "queue": queue,
        "cases": queue.cases,
        "show": show,
        "show_choices": SHOW_CHOICES,
        "overdue_count": queue.overdue_count,
        "updated_at": deadlines.now(),
        "refresh_seconds": settings.CONSOLE_REFRESH_SECONDS,
        "fallback_seconds": settings.CONSOLE_FALLBACK_REFRESH_SECONDS,
        # Case addresses are built from this one reversal (see console/cases/urls.py):
        # reversing three addresses per row was a large part of a long queue's time.
        "cases_url": cases_url,
        "back_url": f"{cases_url}?{where}",
        "refresh_url": f"{cases_url}?{where}&auto=1",
        "rows_url": f"{reverse('cases:rows')}?{where}&auto=1",
    }


class CaseListView(RoleRequiredMixin, TemplateView):
    """The queue: open cases, most urgent first; its script keeps it up to date."""

    permission_required = WORK_CASES
    template_name = "cases/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the cases to show and the addresses the page refreshes from."""
        context = super().get_context_data(**kwargs)
        context.update(queue_context(self.request, self.request.GET.get("auto") == "1"))
        result: dict[str, Any] = context
        return result


class CaseRowsView(RoleRequiredMixin, TemplateView):
    """The queue's changing part alone (an HTML fragment), fetched by the page's script."""

    permission_required = WORK_CASES
    template_name = "cases/_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the cases to show (audited when they differ from the last refresh)."""
        context = super().get_context_data(**kwargs)
        context.update(queue_context(self.request, automatic=True))
        result: dict[str, Any] = context
        return result


class CaseDetailView(RoleRequiredMixin, TemplateView):
    """One case: the message, its flags, its history and its next step."""

    permission_required = WORK_CASES
    template_name = "cases/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the case, its transitions and the step form."""
        context = super().get_context_data(**kwargs)
        case = case_or_404(int(kwargs["alert_id"]))
        record(self.request, Kind.CASE_VIEW, target=f"case:{case.alert.id}")
        next_state = case.next_state
        context.update(
            case=case,
            transitions=CaseTransition.objects.filter(alert_id=case.alert.id).select_related("by"),
            realerts=realerts_for(case.alert.id),
            form=StepForm(initial={"expected": case.state}),
            note_required=bool(next_state and note_required(case.alert, next_state)),
            takeover_key=conversation_key(case.alert.conversation_id),
            can_take_over=case.alert.channel in WRITABLE_CHANNELS,
        )
        result: dict[str, Any] = context
        return result


class CaseStepView(RoleRequiredMixin, View):
    """Take a case's next step (POST only, CSRF-checked), then go back where we came from."""

    permission_required = WORK_CASES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Move the case on, or say why not."""
        case = case_or_404(int(kwargs["alert_id"]))
        form = StepForm(request.POST)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        back = back or reverse("cases:detail", args=[case.alert.id])
        if not form.is_valid():
            messages.error(request, "The step could not be read; please try again.")
            return HttpResponseRedirect(back)
        try:
            step = advance(
                case.alert, request.user, form.cleaned_data["expected"], form.cleaned_data["note"]
            )
        except StepRefused as refused:
            messages.error(request, f"Case {case.alert.id}: {refused}.")
            return HttpResponseRedirect(reverse("cases:detail", args=[case.alert.id]))
        record(
            request,
            Kind.CASE_CHANGE,
            target=f"case:{case.alert.id}",
            detail=f"{step.from_state} -> {step.to_state}",
        )
        messages.success(request, f"Case {case.alert.id} is now {State.LABELS[step.to_state]}.")
        return HttpResponseRedirect(back)
