"""Reading source articles: strict UTF-8 decoding, and the parser each file type calls for (``reading``).

One module per format: ``polyleaf.source.parse.txt`` (plain text, the format articles arrive in) and
``polyleaf.source.parse.markdown`` (CommonMark); ``polyleaf.source.parse.spans`` holds what they share.
"""
