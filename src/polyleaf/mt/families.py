"""The model families a CTranslate2 model folder may hold, and how each is driven.

What a family changes is the framing of the tokens (``polyleaf.mt.decoding.Framing``) and which sentencepiece
models tokenize each side:

* ``marian`` (OPUS-MT): the source is tokenized with ``source.spm`` and the output detokenized with ``target.spm``
  (Marian keeps separate source and target sentencepiece models); the source ends with ``</s>``; a multi-target
  model reads a ``>>xxx<<`` token first (its manifest sets ``source_prefix = ">>{target}<<"``).
* ``nllb`` (NLLB-200): the source starts with its language token (``eng_Latn``) and ends with ``</s>``; the target
  language token is forced as the first output token (the ``forced_bos_token`` of transformers).
* ``m2m100``: as NLLB, with tokens spelled ``__en__``.
* ``t5-madlad`` (MADLAD-400, a T5): the source starts with ``<2xx>`` naming the *target* language and ends with
  ``</s>``; nothing is forced on the target.

``{source}`` and ``{target}`` in a prefix stand for the model's codes of the two languages.
"""

from __future__ import annotations

from dataclasses import dataclass

from polyleaf.mt.decoding import Framing

END_OF_SENTENCE = "</s>"


@dataclass(frozen=True, slots=True)
class Family:
    """How a family frames one pair by default, and its usual tokenizer files (a manifest may override each)."""

    name: str
    source_prefix: str
    target_prefix: str
    source_tokenizer: str
    target_tokenizer: str

    def framing(self, source_prefix: str, target_prefix: str, source: str, target: str) -> Framing:
        """The tokens around a ``source`` → ``target`` text (model codes), from the prefix templates."""
        return Framing(
            source_prefix=_tokens(source_prefix, source, target),
            source_suffix=(END_OF_SENTENCE,),
            target_prefix=_tokens(target_prefix, source, target),
        )


def _tokens(template: str, source: str, target: str) -> tuple[str, ...]:
    return (template.format(source=source, target=target),) if template else ()


FAMILIES = {
    family.name: family
    for family in (
        Family("marian", "", "", "source.spm", "target.spm"),
        Family("nllb", "{source}", "{target}", "sentencepiece.bpe.model", "sentencepiece.bpe.model"),
        Family("m2m100", "__{source}__", "__{target}__", "sentencepiece.bpe.model", "sentencepiece.bpe.model"),
        Family("t5-madlad", "<2{target}>", "", "spiece.model", "spiece.model"),
    )
}
