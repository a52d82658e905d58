"""Rendering: claims, sources and listings as Markdown pages, with their structured data."""
