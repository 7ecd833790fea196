"""kehto: a good-practice registry for workplace development in the Finnish public sector.

The core package loads, validates, aggregates and renders records without MkDocs;
``hooks/kehto_hooks.py`` adapts it to an MkDocs build.
"""

__version__ = "0.1.0"
