"""The local stack: AWS resources read from template.yaml, made in moto, and an HTTP front.

    python -m local run                                  # make run
    python -m local invoke SlaCheckFunction --at ...     # make sweep AT=... / make report AT=...
    python -m local report 2026-11                       # make report MONTH=2026-11
    python -m local openapi                              # make openapi / make openapi-check

The rooms, top to bottom; each imports only rooms below it — one direction,
no circle, and no import tucked inside a function to dodge one
(``python -m local`` runs ``__main__`` → ``cli``)::

    cli       → front, pages, seed, reports, openapi, remote, stack, events
    front     → pages, stack, outbox, events
    pages     → reports, stack, outbox, render, infra
    seed      → timeline, stack, events
    timeline  → stack, events
    reports   → remote, stack, events
    stack     → persist, fifo, state, outbox, quick, transport, events, infra
    persist   → fifo, state, infra
    openapi   → infra
    outbox    → infra
    events    → infra
    remote, render, state, fifo, quick, transport, infra: nothing of ``local``

- ``cli``: the command line — run the stack, invoke a scheduled function,
  write a month's report, print the OpenAPI document;
- ``front``: the HTTP front — API Gateway's part, role headers → Cognito claims,
  the local pages (``/``, ``/_outbox``…, ``POST /_local/invoke/...``);
- ``pages``: what the front shows of its own (the index page, the outbox page)
  and the banner ``make run`` prints;
- ``seed``: demo data for a fresh stack — the two months before this one and
  the last ten days, filed through the API;
- ``timeline``: the seed's engine — requests, the daily sweep, the monthly
  report and the auditors, each at its instant, played in time order;
- ``reports``: ``make report MONTH=...`` — a month's report as files, through
  the API, and the e-mail the report function sent;
- ``stack``: the ``Stack`` — moto, the environment pointed at it, the
  resources, state save and load, handlers invoked one at a time;
- ``persist``: the state written behind — at most once a second, and at stop;
- ``fifo``: the stack's lock, first come first served;
- ``openapi``: the OpenAPI document the intake resolver generates;
- ``outbox``: the e-mails and SMS the stack "sent", read from moto;
- ``events``: what the stack hands to a function — API Gateway REST proxy
  events with Cognito claims, EventBridge scheduled events, the Lambda context;
- ``remote``: a running stack seen from another process (``server.json``, HTTP);
- ``render``: the Jinja2 templates of ``local/templates/`` (autoescaped);
- ``state``: the saved state file (``state.json``) and its DynamoDB-JSON codec;
- ``quick``: moto made fast for the stack, its seed and the benchmarks (speed
  only, the same answers);
- ``transport``: the stack's own boto3 clients reach moto without a socket;
- ``infra``: ``template.yaml`` — its resources, routes, handlers and
  parameters; the resources made in moto; a function's handler imported as in Lambda.

Importing this package puts the code of the template's layers (``ContentUri``
of each ``AWS::Serverless::LayerVersion``: ``shared/``, package
``complaints``) on ``sys.path``, as Lambda does, so that ``local`` run as
``python -m local ...`` from the repository can use the product's own code
(``complaints.domain.calendar.BANGKOK``). This is the only place that does.
"""

import sys

from local import infra

for _layer in infra.layer_dirs():
    if str(_layer) not in sys.path:
        sys.path.insert(0, str(_layer))
