"""The domain's marked words: English as they always read, remembering how they were made so
the pages can translate them; every word a record page shows from the domain is marked."""

from dontpay.domain.reports import SECTIONS
from dontpay.domain.words import Words, words

#: Names of apps and payment services, the same in every language: the only unmarked labels.
NAMES = {
    "Instagram", "Facebook", "Snapchat", "TikTok", "WhatsApp", "Telegram", "Skype",
    "X (Twitter)", "Discord", "Kik", "PayPal", "Cash App",
}  # fmt: skip


def test_marked_words_read_as_english_and_keep_their_sentence_and_values() -> None:
    message = words("This must be {limit} characters or fewer", limit=50_000)
    assert message == "This must be 50,000 characters or fewer"
    assert isinstance(message, str)
    assert message.template == "This must be {limit} characters or fewer"
    assert message.values == {"limit": 50_000}
    assert words("Amount").template == "Amount"


def test_every_word_of_the_record_is_marked_except_names() -> None:
    texts: list[str] = []
    for section in SECTIONS:
        texts += [section.title, section.intro]
        if section.repeatable:
            texts += [section.item_title, section.add_another]
        for field in section.fields:
            texts += [field.label, *([field.hint] if field.hint else [])]
            texts += [label for _, label in field.choices if label not in NAMES]
    assert texts
    assert [text for text in texts if not isinstance(text, Words)] == []
