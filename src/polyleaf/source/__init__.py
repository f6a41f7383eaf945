"""The source articles: the Document model, the parsers (one per source format), sentence segmentation and what
gives a text structure.

It imports only the foundation (errors, files); every stage above reads sources through it.
"""
