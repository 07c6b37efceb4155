"""How the cross-document comparison scales: claims of N synthetic documents, compared.

Usage: python benchmarks/claims_scale.py [--documents 100000] [--claims-per-document 5]

Builds realistic claims (facts from every type, a few plans, values that mostly agree, one
planted disagreement per 1,000 documents) and times compare() alone, which runs after the
parallel per-document stage. Prints the time per run size, so linear growth is visible.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def synthetic_claims(documents: int, per_document: int, seed: int = 7) -> list:
    from commlint.claims import Claim

    rng = random.Random(seed)
    facts = [
        ("refund-window", lambda: ("hours", 720.0), "30 days"),
        ("response-time", lambda: ("hours", 24.0), "1 day"),
        ("delivery-time", lambda: ("business-days", 2.0), "2 business days"),
        ("price", lambda: ("money", "USD", 29.0, "month"), "USD 29 per month"),
        ("support-hours", lambda: ("hours-open", (0, 1, 2, 3, 4), 540, 1020), "Mon–Fri 09:00–17:00"),
        ("phone", lambda: ("phone", "+4722334455"), "+47 22 33 44 55"),
    ]
    subjects = [None, None, None, "pro", "basic"]
    claims = []
    for number in range(documents):
        path = f"site/page-{number}.html"
        for slot in range(per_document):
            fact, make, display = facts[rng.randrange(len(facts))]
            key = make()
            if number % 1000 == 0 and slot == 0:
                key = (*key[:-1], key[-1] + 1) if isinstance(key[-1], (int, float)) else key  # a planted disagreement
            claims.append(Claim(fact, key, display, display, rng.choice(subjects) if fact == "price" else None, (),
                                path, 10 + slot, 5, "…", "web", "en"))
    return claims


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--claims-per-document", type=int, default=5)
    args = parser.parse_args()
    from commlint.claims import compare

    print(f"{'documents':>10} {'claims':>10} {'compare s':>10} {'findings':>9}")
    for documents in (args.documents // 10, args.documents // 2, args.documents):
        claims = synthetic_claims(documents, args.claims_per_document)
        started = time.perf_counter()
        findings = compare(claims)
        elapsed = time.perf_counter() - started
        print(f"{documents:>10} {len(claims):>10} {elapsed:>10.2f} {len(findings):>9}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
