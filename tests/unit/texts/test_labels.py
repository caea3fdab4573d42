"""The labels the pages and the console show (``messages.LABELS``): every state and every history
event has its Thai name and its English one, so no screen falls back to a code."""

from __future__ import annotations

import pytest

from complaints.domain.events import EventType
from complaints.domain.model import State
from complaints.messages import LABELS


@pytest.mark.parametrize(("group", "members"), [("state", State), ("event", EventType)])
def test_every_state_and_event_is_named_in_thai_and_in_english(group, members):
    for member in members:
        assert LABELS[group][member.value].strip(), member
        assert LABELS[group + "_en"][member.value].isascii(), member
