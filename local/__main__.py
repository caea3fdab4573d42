"""``python -m local run|invoke|openapi``: see ``local.cli``."""

import sys

from local.cli import main

sys.exit(main())
