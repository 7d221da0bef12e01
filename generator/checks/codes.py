"""Check digits of the identifiers Chinese public records carry (domain reference, "Unified Social
Credit Code" and "Personal information"). Pure functions, so the validator and tests share them."""

from __future__ import annotations

import re
from datetime import date

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
SOCIAL_ORG_PREFIXES = ("51", "52", "53", "59")  # registered by civil affairs: 社会团体, 民办非企业单位, 基金会, 其他
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]

RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015: C18 = alphabet[(31 - Σ value·3^i mod 31) mod 31]."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_valid(code: str) -> bool:
    return (
        len(code) == 18
        and all(c in USCC_ALPHABET for c in code)
        and uscc_check_char(code[:17]) == code[17]
    )


def org_code_check_char(first8: str) -> str:
    """GB 11714: check = 11 − (Σ mod 11); 10 → X, 11 → 0. Letters count A=10 … Z=35."""
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_org_code_valid(code: str) -> bool:
    """Positions 9–17 of a USCC embed the organization code with its own check character."""
    embedded = code[8:17]
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", embedded):
        return False
    return org_code_check_char(embedded[:8]) == embedded[8]


def resident_id_valid(number: str) -> bool:
    """ISO 7064 MOD 11-2 check plus a real birth date: true for a plausible resident ID number."""
    number = number.upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(c) * w for c, w in zip(number, _ID_WEIGHTS))
    return "10X98765432"[total % 11] == number[17]


def find_resident_ids(text: str) -> list[str]:
    return [m.group(0) for m in RESIDENT_ID.finditer(text) if resident_id_valid(m.group(0))]


def find_mobiles(text: str) -> list[str]:
    return MOBILE.findall(text)
