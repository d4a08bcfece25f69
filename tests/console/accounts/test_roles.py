"""Roles: clinicians work cases; admins also read the audit. Permissions live in roles.py."""

from __future__ import annotations

from django.contrib.auth.models import Group

from console.accounts.roles import ROLES, role_of


def test_groups_hold_exactly_the_permissions_of_roles_py(db):
    for role, permissions in ROLES.items():
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.all()
        }
        assert held == set(permissions)


def test_clinician_gets_403_on_the_audit(clinician_client):
    assert clinician_client.get("/audit/").status_code == 403
    assert clinician_client.get("/audit/export.csv").status_code == 403


def test_admin_reads_the_audit_and_the_cases(outbox, admin_client_):
    assert admin_client_.get("/audit/").status_code == 200
    assert admin_client_.get("/cases/").status_code == 200


def test_navigation_shows_only_what_the_role_may_open(outbox, clinician_client, admin_client_):
    assert 'href="/audit/"' not in clinician_client.get("/cases/").content.decode()
    assert 'href="/audit/"' in admin_client_.get("/cases/").content.decode()


def test_role_of(clinician, admin_user):
    assert role_of(clinician) == "clinician"
    assert role_of(admin_user) == "admin"
