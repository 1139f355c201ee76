"""``python -m methodic`` is the ``methodic`` command."""

from methodic.cli import main

raise SystemExit(main())
