"""``python -m broadsheet.eval`` — same as ``broadsheet eval``."""
import sys

from . import main

sys.exit(main())
