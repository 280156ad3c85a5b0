"""Reading a form back out of a page the way a browser would submit it unchanged."""

import re
from html.parser import HTMLParser

#: What a browser keeps as the value of a date or datetime-local input: anything else it
#: empties (the HTML value sanitization algorithm), so it is sent as "".
_VALID = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
}


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._fields = []
        if self._fields is None:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            value = a.get("value", "on" if kind == "checkbox" else "")
            if kind in _VALID and not _VALID[kind].match(value):
                value = ""
            self._fields.append((a.get("name", ""), value))
        elif tag == "select":
            self._select, self._select_value, self._first_option = a.get("name", ""), None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea":
            self._textarea, self._text = a.get("name", ""), ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._fields is None:
            return
        if tag == "select" and self._select is not None:
            chosen = self._select_value if self._select_value is not None else self._first_option
            self._fields.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._fields)
            self._fields = None


def submitted_unchanged(page: str, field: str) -> dict[str, str]:
    """What the first form on `page` with a control named `field` sends if nothing is touched."""
    reader = _FormReader()
    reader.feed(page)
    for fields in reader.forms:
        if any(name == field for name, _ in fields):
            return {name: value for name, value in fields if name}
    raise AssertionError(f"no form with a {field!r} control on the page")
