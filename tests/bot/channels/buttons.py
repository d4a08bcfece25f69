"""Buttons the channel tests offer: a yes/no question and a three-way menu."""

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
THREE = [
    {"title": "Learn about pain", "payload": "/start_learning"},
    {"title": "Check my symptoms", "payload": "/request_symptom_check"},
    {"title": "Pacing plan", "payload": "/request_pacing_plan"},
]
