"""Numerals: roman, letters, arabic — formatted and read back, in one place."""
from __future__ import annotations

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def to_roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def from_roman(text: str) -> int | None:
    for n in range(1, 400):
        if to_roman(n) == text:
            return n
    return None


def to_letter(n: int) -> str:
    return "" if n <= 0 else to_letter((n - 1) // 26) + chr(ord("A") + (n - 1) % 26)


def from_letter(text: str) -> int | None:
    if not text.isalpha() or not text.isupper():
        return None
    n = 0
    for char in text:
        n = n * 26 + ord(char) - ord("A") + 1
    return n
