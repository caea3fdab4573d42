"""The local stack: AWS resources read from template.yaml, made in moto, and an HTTP front.

    python -m local run                                  # make run
    python -m local invoke SlaCheckFunction --at ...     # make sweep AT=... / make report AT=...
    python -m local openapi                              # make openapi / make openapi-check

The rooms, top to bottom; each imports only rooms below it — one direction,
no circle, and no import tucked inside a function to dodge one
(``python -m local`` runs ``__main__`` → ``cli``)::

    cli      → front, seed, openapi, stack, events
    front    → stack, outbox, render, events, infra
    seed     → stack, events
    stack    → state, outbox, events, infra
    openapi  → infra
    outbox   → render, infra
    events   → infra
    render, state, infra: nothing of ``local``

- ``cli``: the command line — run the stack, invoke a scheduled function, print
  the OpenAPI document;
- ``front``: the HTTP front — API Gateway's part, role headers → Cognito claims,
  the local pages (``/``, ``/_outbox``…, ``POST /_local/invoke/...``);
- ``seed``: demo complaints for a fresh stack, filed through the API;
- ``stack``: the ``Stack`` — moto, the environment pointed at it, the
  resources, state save and load, handlers invoked one at a time;
- ``openapi``: the OpenAPI document the intake resolver generates;
- ``outbox``: the e-mails and SMS the stack "sent", read from moto; its page;
- ``events``: what the stack hands to a function — API Gateway REST proxy
  events with Cognito claims, EventBridge scheduled events, the Lambda context;
- ``render``: the Jinja2 templates of ``local/templates/`` (autoescaped);
- ``state``: the saved state file (``state.json``) and its DynamoDB-JSON codec;
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
