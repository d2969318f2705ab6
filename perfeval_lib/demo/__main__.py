"""``python -m perfeval_lib.demo [FOLDER]``: write the invented demo data set."""
import sys

from .cli import main

sys.exit(main())
