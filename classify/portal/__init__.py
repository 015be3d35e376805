"""Parsers for the national TTHC portal's flattened records (DOMAIN.md §10).

The portal's tables arrive as text concatenated without separators; each module here undoes one
field. The results are drafts for a human to review, never catalogue entries by themselves.
"""
