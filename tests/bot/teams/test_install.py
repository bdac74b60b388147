"""Where an installation's tenant comes from: channelData first, then the conversation."""

from __future__ import annotations

from botbuilder.schema import Activity

from bot.teams.install import tenant_of


def test_tenant_from_channel_data_or_the_conversation() -> None:
    both = Activity().deserialize(
        {"type": "message", "conversation": {"id": "c", "tenantId": "t-conv"}, "channelData": {"tenant": {"id": "t-cd"}}}
    )
    only_conversation = Activity().deserialize({"type": "message", "conversation": {"id": "c", "tenantId": "t-conv"}})
    neither = Activity().deserialize({"type": "message", "conversation": {"id": "c"}})
    assert tenant_of(both) == "t-cd"
    assert tenant_of(only_conversation) == "t-conv"
    assert tenant_of(neither) is None
