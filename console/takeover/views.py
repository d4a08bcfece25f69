"""Take over a conversation, write to the patient, hand back; every step audited.

Under ``/conversations/P-<key>/takeover/``:

- ``GET`` the live page: the latest messages, updated as they arrive by the page's
  script (``lines/``), the state, the message box and the hand-back button;
- ``POST start/``: pause the assistant (Rasa's ``pause`` event); from a transcript or
  a case;
- ``POST send/``: send a message to the patient on their channel, stored in the
  conversation as the care team's;
- ``POST end/``: hand back (Rasa's ``resume`` event).

Each change goes through the Rasa server (:mod:`console.takeover.rasa_api`) and is
recorded in the audit only once the server has done it; when it cannot, the page says
why and keeps the clinician's words in the box. Taking over a held conversation, or
handing back one that is not held, changes nothing and says so. A message needs the
conversation held first, so the assistant and the clinician never both answer; any
clinician may write to a held conversation and hand it back (the page says who took it
over). The same message posted twice (a double click, a reload) is sent once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from console.accounts.roles import TAKE_OVER, RoleRequiredMixin
from console.audit.models import Kind
from console.audit.record import record
from console.cases.masking import mask_phone, pseudonym
from console.takeover.forms import MAX_MESSAGE_CHARS, MessageForm
from console.takeover.rasa_api import (
    RasaApi,
    RasaApiError,
    message_event,
    pause_event,
    resume_event,
)
from console.takeover.state import Takeover, recent_entries, takeover_of
from console.transcripts.models import Conversation
from console.transcripts.views import indexed

# Draft ids of the messages this session has sent (a repeated POST of one is dropped),
# and the last one sent, for the page's script to forget its saved copy.
SENT_DRAFTS = "console_takeover_sent"
LAST_SENT = "console_takeover_last_sent"
KEEP_DRAFTS = 50


def rasa_api() -> RasaApi:
    """Return the client of the Rasa server's HTTP API, from the settings."""
    return RasaApi(settings.CONSOLE_RASA_URL, settings.CONSOLE_RASA_API_TOKEN)


def _target(conversation: Conversation) -> str:
    return f"conversation:{conversation.key}"


def _back(request: HttpRequest, default: str) -> str:
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return default
    return back or default


def _when(held: Takeover) -> str:
    return f" at {held.since:%H:%M} UTC" if held.since else ""


def page_context(
    request: HttpRequest, conversation: Conversation, form: MessageForm | None = None
) -> dict[str, Any]:
    """Return what the live page shows; audit the read."""
    sender_id = conversation.sender_id
    entries = recent_entries(sender_id)
    held = takeover_of(sender_id)
    record(
        request,
        Kind.TRANSCRIPT_VIEW,
        target=_target(conversation),
        detail=f"takeover page; {len(entries)} messages",
    )
    if form is None:
        form = MessageForm(initial={"draft": uuid.uuid4().hex})
    key = conversation.key
    return {
        "conversation": conversation,
        "patient": pseudonym(sender_id),
        "phone": mask_phone(sender_id),
        "held": held,
        "entries": entries,
        "after": entries[-1].event_id if entries else 0,
        "form": form,
        "max_chars": MAX_MESSAGE_CHARS,
        "lines_url": reverse("takeover:lines", args=[key]) + "?auto=1",
        "refresh_seconds": settings.CONSOLE_TAKEOVER_REFRESH_SECONDS,
        "last_sent": request.session.pop(LAST_SENT, ""),
    }


class TakeoverPageView(RoleRequiredMixin, View):
    """The live page of a conversation a clinician holds (or may take over)."""

    permission_required = TAKE_OVER
    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Show the latest messages, the state and what the clinician can do."""
        conversation = indexed(str(kwargs["key"]))
        return render(request, "takeover/page.html", page_context(request, conversation))


class TakeoverLinesView(RoleRequiredMixin, View):
    """The messages after ``?after=<event id>`` and the state (an HTML fragment)."""

    permission_required = TAKE_OVER
    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Return what arrived since the page last looked; audit it when there is any."""
        conversation = indexed(str(kwargs["key"]))
        after_text = request.GET.get("after", "0")
        after = int(after_text) if after_text.isdigit() else 0
        entries = recent_entries(conversation.sender_id, after=after)
        if entries:
            record(
                request,
                Kind.TRANSCRIPT_VIEW,
                target=_target(conversation),
                detail=f"takeover page auto-refresh; {len(entries)} new messages",
            )
        return render(
            request,
            "takeover/_lines.html",
            {
                "entries": entries,
                "after": entries[-1].event_id if entries else after,
                "held": takeover_of(conversation.sender_id),
            },
        )


class TakeOverView(RoleRequiredMixin, View):
    """Pause the assistant for this conversation (POST, CSRF-checked)."""

    permission_required = TAKE_OVER
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Take over, or say why not; then show the live page (or go back)."""
        conversation = indexed(str(kwargs["key"]))
        page = reverse("takeover:page", args=[conversation.key])
        back = _back(request, reverse("transcripts:detail", args=[conversation.key]))
        held = takeover_of(conversation.sender_id)
        if not held.can_write:
            messages.error(
                request,
                f"This conversation is on {held.channel_name}: the console can write to "
                "patients only on web chat and SMS.",
            )
            return HttpResponseRedirect(back)
        if held.paused:
            who = held.by or "a clinician"
            messages.info(request, f"Already taken over by {who}{_when(held)}.")
            return HttpResponseRedirect(page)
        user = request.user.get_username()
        try:
            rasa_api().append(conversation.sender_id, [pause_event(user)])
        except RasaApiError as error:
            messages.error(request, f"The conversation was not taken over. {error.explanation}")
            return HttpResponseRedirect(back)
        record(
            request,
            Kind.TAKEOVER,
            target=_target(conversation),
            detail=f"channel {held.channel}",
        )
        messages.success(
            request,
            "You have taken over. The assistant will not answer until you hand back; "
            "a red flag still gets the urgent-care reply and an alert.",
        )
        return HttpResponseRedirect(page)


class SendView(RoleRequiredMixin, View):
    """Send a message to the patient of a held conversation (POST, CSRF-checked)."""

    permission_required = TAKE_OVER
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Send it and show the page again; on any refusal keep the words in the box."""
        conversation = indexed(str(kwargs["key"]))
        page = reverse("takeover:page", args=[conversation.key])
        form = MessageForm(request.POST)
        if not form.is_valid():
            return self._again(request, conversation, form, status=400)
        draft = form.cleaned_data["draft"]
        sent = list(request.session.get(SENT_DRAFTS, []))
        if draft in sent:
            messages.info(request, "That message was already sent.")
            return HttpResponseRedirect(page)
        held = takeover_of(conversation.sender_id)
        if not held.paused:
            messages.error(
                request,
                "Nothing was sent: the assistant is answering this conversation. Take it "
                "over first, so that you and the assistant do not both answer.",
            )
            return self._again(request, conversation, form, status=409)
        text = form.cleaned_data["text"]
        try:
            rasa_api().append(
                conversation.sender_id,
                [message_event(request.user.get_username(), text)],
                channel=held.channel,
            )
        except RasaApiError as error:
            messages.error(request, f"Nothing was sent or saved. {error.explanation}")
            return self._again(request, conversation, form, status=502)
        record(
            request,
            Kind.TAKEOVER_MESSAGE,
            target=_target(conversation),
            detail=f"{len(text)} characters by {held.channel}",
        )
        request.session[SENT_DRAFTS] = [*sent, draft][-KEEP_DRAFTS:]
        request.session[LAST_SENT] = draft
        messages.success(request, f"Sent to the patient by {held.channel_name}.")
        return HttpResponseRedirect(page)

    @staticmethod
    def _again(
        request: HttpRequest, conversation: Conversation, form: MessageForm, status: int
    ) -> HttpResponse:
        """Show the page with the clinician's words still in the box."""
        context = page_context(request, conversation, form)
        return render(request, "takeover/page.html", context, status=status)


class HandBackView(RoleRequiredMixin, View):
    """Hand the conversation back to the assistant (POST, CSRF-checked)."""

    permission_required = TAKE_OVER
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Resume the assistant, or say why not."""
        conversation = indexed(str(kwargs["key"]))
        page = reverse("takeover:page", args=[conversation.key])
        held = takeover_of(conversation.sender_id)
        if not held.paused:
            messages.info(request, "The assistant is already answering this conversation.")
            return HttpResponseRedirect(page)
        try:
            rasa_api().append(conversation.sender_id, [resume_event(request.user.get_username())])
        except RasaApiError as error:
            messages.error(
                request,
                f"The conversation was not handed back: the assistant is still paused. "
                f"{error.explanation}",
            )
            return HttpResponseRedirect(page)
        record(
            request,
            Kind.HAND_BACK,
            target=_target(conversation),
            detail=f"taken over by {held.by or 'unknown'}{_when(held)}",
        )
        messages.success(request, "Handed back: the assistant answers the patient's next message.")
        return HttpResponseRedirect(page)
