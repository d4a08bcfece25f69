"""What the console shares with the delivery worker: the deadlines and the case-state table."""

from bot.alerts import overdue
from bot.alerts.deadlines import DEFAULT_RULES
from bot.settings import get_settings
from console.cases.models import CaseState, State


def test_the_console_s_deadlines_are_the_product_s():
    from django.conf import settings

    assert get_settings().ack_deadlines == settings.CONSOLE_ACK_DEADLINES
    assert set(DEFAULT_RULES) <= set(settings.CONSOLE_ACK_DEADLINES)


def test_the_worker_reads_the_console_s_case_state_table_as_the_console_defines_it():
    assert CaseState._meta.db_table == overdue.CASE_STATE_TABLE
    fields = {field.name for field in CaseState._meta.get_fields()}
    assert {column.name for column in overdue.case_states.columns} <= fields
    assert State.NEW == overdue.NEW
