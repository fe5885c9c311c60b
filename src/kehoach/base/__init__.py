"""Foundations: text, dates, periods, deadlines, words, files, errors, diagnostics."""
