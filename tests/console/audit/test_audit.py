"""The audit (/audit/, admins only): append-only rows, filters, CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from console.audit.models import AppendOnlyError, AuditEvent, Kind
from console.audit.record import record
from console.audit.views import csv_cell


def rows_of(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8"))))


def test_audit_lists_views_changes_and_sign_ins(outbox, clinician_client, admin_client_, frozen):
    case_id = outbox.add()
    clinician_client.get(f"/cases/{case_id}/")
    clinician_client.post(f"/cases/{case_id}/step/", {"expected": "new"})
    page = admin_client_.get("/audit/").content.decode()
    assert "viewed a case" in page
    assert "changed a case&#x27;s state" in page
    assert f"case:{case_id}" in page
    assert "new -&gt; acknowledged" in page
    assert "dr_jones" in page


def test_audit_filters_by_user_and_kind(outbox, clinician_client, admin_client_, frozen):
    case_id = outbox.add()
    clinician_client.get(f"/cases/{case_id}/")
    admin_client_.get(f"/cases/{case_id}/")
    page = admin_client_.get("/audit/?user=dr_jones&kind=case_view").content.decode()
    assert page.count(f"<td>case:{case_id}</td>") == 1
    page = admin_client_.get("/audit/?kind=case_view").content.decode()
    assert page.count(f"<td>case:{case_id}</td>") == 2


def test_csv_export_has_the_filtered_rows(outbox, clinician_client, admin_client_, frozen):
    case_id = outbox.add()
    clinician_client.get(f"/cases/{case_id}/")
    response = admin_client_.get("/audit/export.csv?kind=case_view")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["at", "username", "kind", "target", "detail", "ip_address"]
    assert [row[1:4] for row in rows[1:]] == [["dr_jones", "case_view", f"case:{case_id}"]]
    assert AuditEvent.objects.filter(kind=Kind.AUDIT_EXPORT, username="admin_ali").exists()


def test_csv_export_never_hands_a_spreadsheet_a_formula(db, admin_client_):
    from django.test import Client

    Client().post("/login/", {"username": '=HYPERLINK("http://x")', "password": "x"})
    rows = rows_of(admin_client_.get("/audit/export.csv?kind=sign_in_failed"))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    ("value", "cell"), [("=1+1", "'=1+1"), ("@x", "'@x"), ("plain", "plain"), (None, "")]
)
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


def test_audit_reads_are_themselves_audited(admin_client_):
    admin_client_.get("/audit/?kind=sign_in")
    event = AuditEvent.objects.get(kind=Kind.AUDIT_VIEW)
    assert (event.username, event.detail) == ("admin_ali", "kind=sign_in")


def test_audit_rows_cannot_be_changed_or_deleted(clinician):
    event = record(None, Kind.CASE_VIEW, target="case:1", user=clinician)
    event.detail = "edited"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_audit_page_escapes_what_it_shows(db, admin_client_):
    from django.test import Client

    Client().post("/login/", {"username": "<script>x</script>", "password": "x"})
    page = admin_client_.get("/audit/").content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
