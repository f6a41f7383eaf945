"""Machine translation: the engine protocol (``engine``, ``alignment``), the argos engine (``argos``) and its
packages (``packages``), placeholders, repair of what an engine dropped (``repair``) and the MT stage (``run``).

It builds on the foundation and ``config``; it never imports ``po``, ``catalog``, ``render``, ``execution``,
``pipeline`` or the CLI. ``polyleaf.mt.argos`` imports CTranslate2, sentencepiece, sacremoses and subword-nmt
lazily, inside the functions that need them.
"""
