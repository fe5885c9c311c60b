"""Typed views: what a document or a table shows, worded, ready for a template."""
