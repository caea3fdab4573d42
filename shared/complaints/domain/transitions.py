"""Who may do what to a case in which state (SPEC §3): the transition table. Pure.

A new action: a member of :class:`Action` and a row of :data:`TRANSITIONS`;
its change is a function of ``lifecycle`` or ``followup`` that calls :func:`check`.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import Forbidden, IllegalTransition
from .model import Actor, Case, Role, State


class Action(StrEnum):
    ROUTE = "route"
    REFER = "refer"
    CLOSE = "close"  # the call centre closes a triage case (not actionable) or a referral (done)
    RETURN_TO_TRIAGE = "return_to_triage"  # a referral that came back to the city
    ACKNOWLEDGE = "acknowledge"
    HANDBACK = "handback"
    PROGRESS = "progress"
    COMPLETE = "complete"
    CONFIRM = "confirm"
    REOPEN = "reopen"


S = State

#: action → (states it may start from, state it leads to, roles allowed)
TRANSITIONS: dict[Action, tuple[frozenset[State], State, frozenset[Role]]] = {
    Action.ROUTE: (frozenset({S.TRIAGE, S.DISPATCHED}), S.DISPATCHED, frozenset({Role.CALLCENTER})),
    Action.REFER: (frozenset({S.TRIAGE}), S.REFERRED, frozenset({Role.CALLCENTER})),
    Action.CLOSE: (frozenset({S.TRIAGE, S.REFERRED}), S.CLOSED, frozenset({Role.CALLCENTER})),
    Action.RETURN_TO_TRIAGE: (frozenset({S.REFERRED}), S.TRIAGE, frozenset({Role.CALLCENTER})),
    Action.ACKNOWLEDGE: (frozenset({S.DISPATCHED}), S.ACKNOWLEDGED, frozenset({Role.AGENCY})),
    Action.HANDBACK: (frozenset({S.DISPATCHED, S.ACKNOWLEDGED}), S.TRIAGE, frozenset({Role.AGENCY})),
    Action.PROGRESS: (frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS}), S.IN_PROGRESS, frozenset({Role.AGENCY})),
    Action.COMPLETE: (frozenset({S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS}), S.COMPLETED, frozenset({Role.AGENCY})),
    Action.CONFIRM: (frozenset({S.COMPLETED}), S.CLOSED, frozenset({Role.CITIZEN, Role.SYSTEM})),
    Action.REOPEN: (
        frozenset({S.COMPLETED, S.CLOSED}),
        S.DISPATCHED,
        frozenset({Role.CITIZEN, Role.CALLCENTER, Role.AUDITOR}),
    ),
}

#: The agency's actions, the usual next step first and the hand-back last (the action page's order).
AGENCY_ACTIONS = (Action.ACKNOWLEDGE, Action.PROGRESS, Action.COMPLETE, Action.HANDBACK)


def allowed_actions(state: State, role: Role) -> list[Action]:
    """The actions ``role`` may take on a case in ``state``, in table order."""
    return [a for a, (sources, _, roles) in TRANSITIONS.items() if state in sources and role in roles]


def check(case: Case, action: Action, actor: Actor) -> State:
    """Refuse an action the actor's role may not take, or that the state does not allow; else the
    state it leads to."""
    sources, target, roles = TRANSITIONS[action]
    if actor.role not in roles:
        raise Forbidden(f"the role '{actor.role}' may not {action} a case")
    if actor.role is Role.AGENCY and (case.agency is None or case.agency.id != actor.agency_id):
        raise Forbidden("this case is not assigned to your agency")
    if case.state not in sources:
        raise IllegalTransition(case.state, action)
    return target
