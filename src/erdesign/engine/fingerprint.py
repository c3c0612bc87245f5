"""A finding's fingerprint: the same finding gets the same one after lines move or lists are reordered.

Used by SARIF (``partialFingerprints``) and by lint baselines.
"""
from __future__ import annotations

import hashlib


def finding_fingerprint(f) -> str:
    """Rule + named resource + field (or, for a finding on no object, rule + file + message), hashed."""
    where = f.resource + "|" + ".".join(str(p) for p in f.field) if f.resource else (
        (f.loc.file if f.loc else "") + "|" + f.message)
    return hashlib.sha256(f"{f.rule}|{where}".encode()).hexdigest()[:32]
