"""UK bank accounts: sort code and account number, canonical `SSSSSS-AAAAAAAA`.

A seven-digit account number is padded with a leading zero, as UK banks do. In free text, without
the words "sort code", only the written shape `12-34-56 12345678` (or the canonical form itself)
counts, and only with a banking word ("account", "a/c", "s/c", "bank"…) close by, so that dates
and reference numbers ("on 03-11-24 12345678") never become accounts. A value typed into a bank
account field needs no such word.
"""

import re
from collections.abc import Iterator

from .family import Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator

_SORT = r"(?P<sort>\d{2}[-\s]?\d{2}[-\s]?\d{2})"
_SORT_LABEL = r"sort\s?code\s*(?:no\.?|number|#)?\s*[:\-]?\s*"
_ACCOUNT = r"(?P<account>\d{7,8})(?![\d-])"
_ACCOUNT_LABEL = r"(?:account|acc|acct|a/c)\.?\s*(?:no\.?|number|num|#)?\s*[:\-]?\s*"
_GAP = r"[\s,;/]*(?:and\s+)?"
_BANK_ACCOUNT = re.compile(
    rf"{_SORT_LABEL}{_SORT}{_GAP}(?:{_ACCOUNT_LABEL})?{_ACCOUNT}"
    rf"|{_ACCOUNT_LABEL}(?P<account_first>\d{{7,8}}){_GAP}{_SORT_LABEL}"
    rf"(?P<sort_last>\d{{2}}[-\s]?\d{{2}}[-\s]?\d{{2}})(?![\d-])"
    rf"|(?<![\d-])(?P<written>\d{{2}}-\d{{2}}-\d{{2}})[\s,;/]+(?P<written_account>\d{{7,8}})(?![\d-])"
    rf"|(?<![\d-])(?P<canonical>\d{{6}}-\d{{7,8}})(?![\d-])",
    re.IGNORECASE,
)
_BANKING_WORD = re.compile(
    r"\b(?:sort\s?codes?|s/c|accounts?|acc|acct|a/c|bank(?:s|ing)?)\b", re.IGNORECASE
)
_BANKING_WORD_DISTANCE = 30
_LONGEST_BANKING_WORD = len("sort codes") + 2
_SIX_DIGITS = re.compile(r"\d\d[-\s]?\d\d[-\s]?\d\d")
_CANONICAL_PARTS = re.compile(
    rf"\s*(?:{_SORT_LABEL})?{_SORT}[\s,;/-]*(?:{_ACCOUNT_LABEL})?{_ACCOUNT}\s*", re.IGNORECASE
)

_ACCOUNT_FIRST_PARTS = re.compile(
    rf"\s*(?:{_ACCOUNT_LABEL})?(?P<account>\d{{7,8}}){_GAP}(?:{_SORT_LABEL})?"
    rf"(?P<sort>\d{{2}}[-\s]?\d{{2}}[-\s]?\d{{2}})\s*",
    re.IGNORECASE,
)


def canonical_account(sort_code: str, account: str) -> str:
    return f"{re.sub(r'\D', '', sort_code)}-{account.zfill(8)}"


def _banking_word_near(text: str, span: tuple[int, int]) -> bool:
    """Whether a banking word ends or starts within a few words of text[span]."""
    near_start, near_end = span[0] - _BANKING_WORD_DISTANCE, span[1] + _BANKING_WORD_DISTANCE
    # Search only around the span (the longest banking word is shorter than the margin), so
    # that a text of many sort-code shapes costs linear, not quadratic, time.
    window_start = max(0, near_start - _LONGEST_BANKING_WORD)
    window_end = min(len(text), near_end + _LONGEST_BANKING_WORD)
    return any(
        word.end() >= near_start and word.start() <= near_end
        for word in _BANKING_WORD.finditer(text, window_start, window_end)
    )


def _parts(match: re.Match[str]) -> tuple[str, str, tuple[int, int]]:
    for sort_group, account_group in (
        ("sort", "account"),
        ("sort_last", "account_first"),
        ("written", "written_account"),
    ):
        if match[sort_group]:
            start = min(match.start(sort_group), match.start(account_group))
            end = max(match.end(sort_group), match.end(account_group))
            return match[sort_group], match[account_group], (start, end)
    sort_code, account = match["canonical"].split("-")
    return sort_code, account, match.span()


class BankAccountFamily(IndicatorFamily):
    type = "bank_account"

    def find(self, text: str, region: str) -> Iterator[Indicator]:
        if not _SIX_DIGITS.search(text):
            return
        for match in _BANK_ACCOUNT.finditer(text):
            sort_code, account, span = _parts(match)
            unlabelled = match["written"] or match["canonical"]
            if unlabelled and not _banking_word_near(text, span):
                continue
            yield Indicator(self.type, canonical_account(sort_code, account), span)

    def canonical(self, value: str, *, platform: str | None, region: str) -> Indicator:
        match = _CANONICAL_PARTS.fullmatch(value)
        if not match:
            reversed_parts = _ACCOUNT_FIRST_PARTS.fullmatch(value)  # "12345678, sort code 123456"
            if reversed_parts:
                sorted_account = canonical_account(
                    reversed_parts["sort"], reversed_parts["account"]
                )
                return Indicator(self.type, sorted_account, (0, len(value)))
            raise InvalidIndicator(
                f"{value!r} is not a UK sort code and account number (like 12-34-56 12345678)"
            )
        return Indicator(
            self.type, canonical_account(match["sort"], match["account"]), (0, len(value))
        )

    def examples(self) -> tuple[Example, ...]:
        key = "bank_account::123456-12345678"
        return (
            Example("sort code 12-34-56 account 12345678", (key,)),
            Example("pay 12-34-56 12345678 today, bank is Lloyds", (key,)),
            Example("Acc no: 12345678, sort code: 123456", (key,)),
            Example("sort code 40 11 62, a/c 1234567", ("bank_account::401162-01234567",)),
            Example("on 12-03-2024 ref 12345678 and 12-34-56 alone, order 20-00-00 12345678"),
        )
