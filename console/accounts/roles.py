"""The console's roles and what each may do: the one place permissions are granted.

A role is a Django group of the same name. ``sync_roles`` (run after every migrate and
by ``createuser``) makes each group hold exactly the permissions listed here; views ask
for a permission, never for a role::

    class CaseListView(RoleRequiredMixin, TemplateView):
        permission_required = WORK_CASES
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.models import Group, Permission

WORK_CASES = "cases.work_cases"
READ_AUDIT = "audit.read_audit"
READ_SETTINGS = "audit.read_settings"
ERASE_PATIENTS = "retention.erase_patients"
TAKE_OVER = "transcripts.take_over_conversation"
# Tag conversations and messages, write private notes, mark reviewed (reading needs WORK_CASES).
ANNOTATE = "annotations.annotate_conversations"
MANAGE_USERS = ("auth.view_user", "auth.add_user", "auth.change_user")

CLINICIAN = "clinician"
ADMIN = "admin"
ROLES: dict[str, tuple[str, ...]] = {
    CLINICIAN: (WORK_CASES, TAKE_OVER, ANNOTATE),
    ADMIN: (
        WORK_CASES,
        TAKE_OVER,
        ANNOTATE,
        READ_AUDIT,
        READ_SETTINGS,
        ERASE_PATIENTS,
        *MANAGE_USERS,
    ),
}


def _permission(dotted: str, using: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.using(using).get(  # type: ignore[no-any-return]
        content_type__app_label=app_label, codename=codename
    )


def sync_roles(using: str = "default") -> None:
    """Create the role groups and give each exactly its permissions."""
    for role, permissions in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([_permission(name, using) for name in permissions])


def role_of(user: Any) -> str:
    """Return the user's role name (the highest one held), or an empty string."""
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in (ADMIN, CLINICIAN) if role in names), "")


class RoleRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Send visitors to sign in; refuse (403) users whose role lacks the permission."""

    raise_exception = False
