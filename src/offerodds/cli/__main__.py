"""``python -m offerodds.cli``: the same as the ``offerodds`` command."""

import sys

from offerodds.cli.main import main

sys.exit(main())
