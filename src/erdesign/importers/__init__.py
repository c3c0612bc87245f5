"""Importers for what users already have: az CLI JSON, ARM templates, Terraform plans."""
from __future__ import annotations

from ..errors import InputError


def import_json(text: str, file: str, **options):
    raise InputError("JSON inputs (az CLI dumps, ARM templates, Terraform plans) are not supported yet", file=file)
