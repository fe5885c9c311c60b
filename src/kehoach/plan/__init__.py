"""A plan: its text, located tree, model, checks, body catalogue, loading, schedule and bodies."""
