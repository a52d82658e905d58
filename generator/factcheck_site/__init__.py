"""A static fact-check microsite generator: the MkDocs plugin `factcheck` and the `factcheck` tool.

The version is written here once: the package metadata reads it (pyproject.toml), and so do
`factcheck --version` and the cache keys of generated work.
"""

__version__ = "0.3.0.dev0"
