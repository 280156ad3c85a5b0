"""Chat exports: UTF-8 text that is plain, HTML or JSON. SVG is text too, but it is refused.

Whatever we decide here is only a label: HTML evidence must still never be served inline from
our origin (it is someone else's markup), only downloaded or shown as text.
"""

from ..bounded_json import load_json
from .checked import CHAT_EXPORT, CheckedEvidence
from .errors import UnsupportedType

#: How far into a file we look for the tags that say what it is.
_HEAD_CHARS = 1024
_HTML_STARTS = ("<!doctype html", "<html")
_HTML_TAGS = ("<html", "<body")


def check_chat_export(data: bytes) -> CheckedEvidence:
    """Accept UTF-8 text (a BOM is fine) without NUL bytes; refuse everything else."""
    if b"\x00" in data:
        raise UnsupportedType()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnsupportedType() from error
    head = text[:_HEAD_CHARS].lstrip().lower()
    is_html = head.startswith(_HTML_STARTS)
    if "<svg" in head and not is_html:
        raise UnsupportedType()
    if _is_json_document(text):
        return CheckedEvidence(CHAT_EXPORT, "application/json", ".json", None, None)
    if is_html or any(tag in head for tag in _HTML_TAGS):
        return CheckedEvidence(CHAT_EXPORT, "text/html", ".html", None, None)
    return CheckedEvidence(CHAT_EXPORT, "text/plain", ".txt", None, None)


def _is_json_document(text: str) -> bool:
    """An object or array: exports are; a bare ``42`` or ``true`` is just text."""
    if not text.lstrip().startswith(("{", "[")):
        return False
    try:
        load_json(text)
    except ValueError:
        return False
    return True
