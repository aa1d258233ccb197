"""Make ``export_fakes`` importable by the tests and by batch worker processes (which inherit
``sys.path``); pytest runs with ``--import-mode=importlib``, which adds no test folder itself."""
import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
