"""A plan's life: progress logged and collected, reminders, amendments, next year, import."""
