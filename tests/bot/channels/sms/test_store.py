from bot.channels.sms.store import SmsStore

PATIENT = "+447700900123"
YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def test_store_keeps_opt_outs_and_offered_buttons(tmp_path):
    store = SmsStore(f"sqlite:///{tmp_path / 's.db'}")
    assert not (tmp_path / "s.db").exists()  # nothing happens until first use
    assert store.is_opted_out(PATIENT) is False
    store.set_opted_out(PATIENT, True)
    assert store.is_opted_out(PATIENT) is True
    store.set_opted_out(PATIENT, False)
    assert store.is_opted_out(PATIENT) is False
    store.set_offered_buttons(PATIENT, YES_NO)
    assert store.offered_buttons(PATIENT) == YES_NO
    store.set_offered_buttons(PATIENT, [])
    assert store.offered_buttons(PATIENT) == []
