"""Names people's files arrived with, made harmless to show and to put in a pack."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dontpay.domain.evidence import safe_file_name


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("C:\\Users\\me\\Desktop\\threat 1.png", "threat 1.png"),
        ("\x00evil.png", "evil.png"),
        ("evil.png\x00.exe", "evil.png.exe"),
        (".htaccess", "htaccess"),
        ("<script>.png", "script.png"),
        ("<img src=x onerror=alert(1)>.png", "img srcx onerroralert1.png"),
        ("<script>alert(1)</script>.png", "script.png"),  # "/" makes "script>.png" the last part
        ("Screenshot   2025-03-12\tat 21.04.png", "Screenshot 2025-03-12 at 21.04.png"),
        ("Снимок экрана.png", "Снимок экрана.png"),
        ("cafe\u0301.jpg", "café.jpg"),
        ("\u202egnp.exe", "gnp.exe"),
        ("\uff0e\uff0e\uff0fsecret.txt", "secret.txt"),
        ("CON.txt", "_CON.txt"),
        ("nul", "_nul"),
        ("report.", "report"),
        ("", "evidence"),
        ("...", "evidence"),
        ("../", "evidence"),
        ("🙂🙂.", "evidence"),
    ],
)
def test_names_are_made_safe(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_long_names_keep_their_extension() -> None:
    safe = safe_file_name("a" * 200 + ".jpeg")
    assert safe == "a" * 75 + ".jpeg"


def test_long_multibyte_names_fit_in_255_bytes() -> None:
    safe = safe_file_name("\U00020000" * 100 + ".png")
    assert safe.endswith(".png")
    assert len(safe.encode()) <= 240


def test_fallback_stem_is_used_and_made_safe_too() -> None:
    assert safe_file_name("///", fallback_stem="item-3") == "item-3"
    assert safe_file_name("///", fallback_stem="../") == "evidence"


#: Any text, with the characters that matter here made more likely than chance would make them.
names = st.text(st.one_of(st.characters(), st.sampled_from("./\\\x00 \t\u202e\uff0f")))


@given(names)
def test_any_name_becomes_safe(name: str) -> None:
    safe = safe_file_name(name)
    assert safe
    assert len(safe) <= 80
    assert not safe.startswith(".")
    assert not {"/", "\\", "\x00"} & set(safe)
    assert all(
        char.isalnum() or char in " -_." or unicodedata.category(char).startswith("M")
        for char in safe
    )


@given(names, names)
def test_safe_names_stay_the_same_when_made_safe_again(name: str, fallback: str) -> None:
    safe = safe_file_name(name, fallback_stem=fallback)
    assert safe
    assert safe_file_name(safe) == safe
