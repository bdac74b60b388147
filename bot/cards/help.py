"""The help card: every command, grouped by what people do, each with an example."""

from __future__ import annotations

from typing import Any

from bot.cards import adaptive_card, heading, subheading, text
from bot.messages import complete_locale, t

# (group title key, [item keys]) in the order people meet them during a meeting cycle.
HELP_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core.help_group_meetings", ("core.help.meetings", "core.help.new_meeting", "core.help.change_meeting", "core.help.agenda", "core.help.agenda_item")),
    ("core.help_group_attendance", ("core.help.attend", "core.help.municipality", "core.help.members")),
    ("core.help_group_checkin", ("core.help.checkin", "core.help.checkins", "core.help.checkout")),
    ("core.help_group_actions", ("core.help.action_item", "core.help.action_items")),
    ("core.help_group_decisions", ("core.help.decision", "core.help.decision_log")),
    ("core.help_group_minutes", ("core.help.minutes", "core.help.reports", "core.help.import", "core.help.reminders")),
    ("core.help_group_privacy", ("core.help.my_data", "core.help.networks")),
)


HELP_KEYS: tuple[str, ...] = (
    "core.help_title", "core.help_intro", "core.help_footer",
    *(key for group, items in HELP_GROUPS for key in (group, *items)),
)


def help_card(locale: str = "sv") -> dict[str, Any]:
    """Every command group with its command words in bold, in one language: the client's if the
    whole card exists in it, else Swedish."""
    locale = complete_locale(locale, HELP_KEYS)
    body: list[dict[str, Any]] = [heading(t("core.help_title", locale)), text(t("core.help_intro", locale), subtle=True)]
    for group_key, item_keys in HELP_GROUPS:
        body.append(subheading(t(group_key, locale)))
        body.append(text("\n".join(f"- {t(k, locale)}" for k in item_keys), spacing="Small"))
    body.append(text(t("core.help_footer", locale), subtle=True, spacing="Medium"))
    return adaptive_card(body)
