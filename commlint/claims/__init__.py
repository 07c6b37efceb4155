"""Stage 4, claims: the facts each document states, and where documents disagree.

extract_claims() runs per document (in the worker pool); compare() runs once over all claims.
"""
from __future__ import annotations

from .compare import CLAIM_RULES, ClaimSettings, compare
from .extract import FACT_LABELS, Claim, extract_claims
from .knowledge import Knowledge, KnowledgeError, load_knowledge
from .senders import Organisations

__all__ = [
    "CLAIM_RULES", "Claim", "ClaimSettings", "FACT_LABELS", "Knowledge", "KnowledgeError",
    "Organisations", "compare", "extract_claims", "load_knowledge",
]
