"""Machine translation: the engine protocol (``engine``, ``alignment``), the argos engine (``argos``) and its
packages (``packages``), placeholders, repair of what an engine dropped (``repair``) and the MT stage (``run``).

Only light modules are imported here; ``polyleaf.mt.argos`` imports CTranslate2, sentencepiece, sacremoses and
subword-nmt lazily, inside the functions that need them.
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
