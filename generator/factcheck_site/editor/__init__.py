"""Editors' tools: new claims, sources from saved pages, quote lookups and schemas for their editors."""
