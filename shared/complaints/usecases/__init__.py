"""Use cases: what the edges call, one room per kind of work. Each takes a command
(``complaints.commands``), applies the domain's rules, stores through the ports
(``complaints.ports``) and returns a typed result.

- ``base``       the workflow every change shares: the calendar, one transaction, then the notices
- ``intake``     filing a complaint
- ``reading``    a case (staff or citizen), the list, the agency link
- ``callcentre`` route, refer, close, return to triage
- ``agency``     acknowledge, progress, complete, hand back
- ``followup``   the citizen's feedback and the call centre's reopen
- ``holidays``   special holidays, and the deadlines they move
- ``sweep``      the daily run (rule 4); ``auditing`` the random audit (rule 6)
"""
