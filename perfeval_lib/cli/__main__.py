"""``python -m perfeval_lib.cli …``: the same as the ``perfeval`` command."""
import sys

from .main import main

sys.exit(main())
