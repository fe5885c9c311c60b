"""Judgement: where every task stands on a date, and the evaluation of a period."""
