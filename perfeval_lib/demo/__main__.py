"""``python -m perfeval_lib.demo [FOLDER]``: write the invented demo data set."""
import sys

from .district import main

sys.exit(main())
