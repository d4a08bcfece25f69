"""The main menu as the tests expect it: one place to change when the menu changes."""

# The payload of each main-menu button, in order (content/ui.yml, menu.actions).
MAIN_MENU = [
    "/start_learning",
    "/request_symptom_check",
    "/request_pacing_plan",
    "/show_flare_up_plan",
    "/start_checkin",
    "/show_topics",
]
