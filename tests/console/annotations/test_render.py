"""The tags block under each message: escaped, with forms only for those who may change tags."""

from __future__ import annotations

from console.annotations.models import Tag
from console.annotations.render import message_tags_html

KEY = "P-0123456789abcdef"


def test_each_message_gets_its_tags_and_a_form(clinician):
    tag = Tag.objects.create(sender_id="web-1", event_id=7, tag="r&d's \"x\"", by=clinician)
    shown = message_tags_html(
        [7, 8], {7: [tag]}, key=KEY, csrf_token="tok<en>", next_url="/c/?a=1&b=2", can_annotate=True
    )
    seven = str(shown[7])
    assert '<span class="tag-name" title="Added by dr_jones on ' in seven
    assert ">r&amp;d&#x27;s &quot;x&quot;</span>" in seven
    assert 'aria-label="Remove the tag r&amp;d&#x27;s &quot;x&quot; from this message"' in seven
    assert f'action="/conversations/{KEY}/tags/{tag.pk}/remove/"' in seven
    assert seven.count('name="csrfmiddlewaretoken" value="tok&lt;en&gt;"') == 2
    assert seven.count('name="next" value="/c/?a=1&amp;b=2"') == 2
    eight = str(shown[8])
    assert "<ul" not in eight and '<input type="hidden" name="event" value="8">' in eight
    assert f'action="/conversations/{KEY}/tags/"' in eight and 'for="tags-8"' in eight


def test_a_reader_gets_the_tags_without_any_form(clinician):
    tag = Tag.objects.create(sender_id="web-1", event_id=7, tag="fall", by=clinician)
    shown = message_tags_html(
        [7, 8], {7: [tag]}, key=KEY, csrf_token="t", next_url="/", can_annotate=False
    )
    assert list(shown) == [7]
    assert "<form" not in str(shown[7]) and ">fall</span>" in str(shown[7])
