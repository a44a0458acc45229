"""Certificates as plain data: signed Open Badges 3.0 credentials, status lists and PDFs.

Pure Python, no Django: ``keys`` (Ed25519 keys, did:web), ``canonical`` (RDFC-1.0 over pinned
JSON-LD contexts), ``integrity`` (eddsa-rdfc-2022 proofs), ``credential`` (build, sign,
verify), ``status_list`` (Bitstring Status List) and ``pdf`` (the printable certificate).
"""
