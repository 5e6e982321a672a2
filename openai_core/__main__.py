"""``python -m openai_core``: the ``openai-core`` command line (see :mod:`openai_core.cli`)."""

from openai_core.cli import main

raise SystemExit(main())
