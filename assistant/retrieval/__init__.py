"""Retrieval: hybrid (dense + BM25) search, metadata filters, reranking and the scores they share."""
