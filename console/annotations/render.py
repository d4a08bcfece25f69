"""The tags under each message of a transcript page, built here rather than in the template.

A page shows up to 200 turns, so several hundred messages, each with its tags and a
"Tag this message" form. An included template per message doubled the time of a long
page (``make bench-console``); each piece here goes through ``format_html``, which
escapes every value, at a fraction of the cost::

    shown = message_tags_html(
        event_ids, summary.by_event, key=conversation.key, csrf_token=get_token(request),
        next_url=request.get_full_path(), can_annotate=True,
    )
    shown[event_id]   # the block under that message
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from console.annotations.models import Tag

_EMPTY = SafeString("")


def _hidden(name: str, value: object) -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', name, value)


def _tag_item(tag: Tag, key: str, hidden: SafeString, can_annotate: bool) -> SafeString:
    at = tag.at
    title = f"Added by {tag.by.get_username()}" + (
        f" on {at.day} {at:%b %Y %H:%M}" if at is not None else ""
    )
    name = format_html('<span class="tag-name" title="{}">{}</span>', title, tag.tag)
    if not can_annotate:
        return format_html('<li class="tag">{}</li>', name)
    return format_html(
        '<li class="tag">{}<form method="post" action="{}">{}'
        '<button type="submit" class="tag-remove" aria-label="Remove the tag {} from this message">'
        "&times;</button></form></li>",
        name,
        reverse("annotations:untag", args=[key, tag.pk]),
        hidden,
        tag.tag,
    )


def message_tags_html(
    event_ids: Iterable[int],
    by_event: dict[int, list[Tag]],
    *,
    key: str,
    csrf_token: str,
    next_url: str,
    can_annotate: bool,
) -> dict[int, SafeString]:
    """Return, per message, its tags (each with a remove button) and the form to add more.

    Args:
        event_ids: the messages shown on the page.
        by_event: the conversation's message tags by event id
            (:attr:`console.annotations.tags.TagSummary.by_event`).
        key: the conversation's key (its address in the console).
        csrf_token: the request's CSRF token, put in every form.
        next_url: where each form comes back to (the page as it is).
        can_annotate: without the permission, tags are listed with no form.
    """
    hidden = format_html(
        "{}{}", _hidden("csrfmiddlewaretoken", csrf_token), _hidden("next", next_url)
    )
    tag_url = reverse("annotations:tag", args=[key])
    shown: dict[int, SafeString] = {}
    for event_id in event_ids:
        tags: Sequence[Tag] = by_event.get(event_id, ())
        listed = (
            format_html(
                '<ul class="tags" aria-label="Tags on this message">{}</ul>',
                format_html_join(
                    "", "{}", ((_tag_item(t, key, hidden, can_annotate),) for t in tags)
                ),
            )
            if tags
            else _EMPTY
        )
        form = (
            format_html(
                '<details class="tag-message"><summary>Tag this message</summary>'
                '<form method="post" action="{}" class="tag-form">{}{}'
                '<label for="tags-{}">Tags for this message</label>'
                '<input type="text" name="tags" id="tags-{}" list="tag-suggestions" maxlength="400"'
                ' autocomplete="off"><button type="submit">Add tags</button></form></details>',
                tag_url,
                hidden,
                _hidden("event", event_id),
                event_id,
                event_id,
            )
            if can_annotate
            else _EMPTY
        )
        if listed or form:
            shown[event_id] = format_html('<div class="message-tags">{}{}</div>', listed, form)
    return shown
