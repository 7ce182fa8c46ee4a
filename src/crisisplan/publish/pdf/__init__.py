"""The PDF runbooks: their HTML, rendering with WeasyPrint across worker processes,
the full plan composed from parts, the cache of rendered PDFs, and the check that
WeasyPrint's system libraries are there."""
