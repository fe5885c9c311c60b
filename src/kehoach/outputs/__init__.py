"""Outputs: templates, Word, calendar, spreadsheets, the terminal, and where files go."""
