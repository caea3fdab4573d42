"""Notices: what history events owe, sent once through the outbox.

- ``outbox``  :class:`Notices` claims each owed notice, sends it with its sender, records the outcome
- ``senders`` one class per notice (:class:`~complaints.domain.events.Notice`): a new channel is a
  new class there and a member of ``Notice``
"""
