"""Answering: question checks, follow-up rewriting, extractive composition with citations, refusal."""
