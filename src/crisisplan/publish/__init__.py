"""Publishing: the build and its options, editions, the up-to-date key, the site
folder's lock and swap, the preview server, the site engines (MkDocs, Zensical)
behind one interface, the PDFs (documents, WeasyPrint, composition, cache), and the
files ``crisisplan init`` writes.

Imports only from itself, earlier stages (render, check, plan) and the leaves.
"""
