"""Machine translation: the engine protocol, the argos engine, placeholders and the MT stage.

Only light modules are imported here; ``polyleaf.mt.argos`` imports argostranslate/CTranslate2 lazily, inside the
functions that need them.
"""

from polyleaf.mt.engine import Engine, Progress
from polyleaf.mt.placeholders import Protected, Restored, protect, restore
from polyleaf.mt.run import MtResult, machine_translate

__all__ = [
    "Engine",
    "MtResult",
    "Progress",
    "Protected",
    "Restored",
    "machine_translate",
    "protect",
    "restore",
]
