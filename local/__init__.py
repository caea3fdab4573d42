"""The local stack: AWS resources read from template.yaml, made in moto, and an HTTP front.

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
