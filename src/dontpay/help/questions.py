"""The triage questions, one per page, and how each answer maps onto the engine's `Answers`.

Wording lives here, in the page's language; what the answers mean for the plan lives in
`domain/guidance/plan.py`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dontpay.domain.guidance import available_jurisdictions, load_pack

from .language import guidance_language

#: The radio value that means "not answered"; the plan then covers both cases in words.
NOT_SURE = "not-sure"


@dataclass(frozen=True)
class Question:
    """One page of the flow, asking for one field of `Answers`."""

    slug: str
    field: str
    heading: str
    hint: str
    choices: tuple[tuple[str, str], ...]
    error: str
    multiple: bool = False

    def value_for(self, choice: str | list[str]) -> object:
        """The engine's value for what was ticked: str, bool, list or None."""
        if self.multiple:
            assert isinstance(choice, list)
            return [] if NOT_SURE in choice else choice
        if choice == NOT_SURE:
            return None
        return {"yes": True, "no": False}.get(str(choice), choice)

    def choice_for(self, value: object) -> str | list[str] | None:
        """The inverse of `value_for`, to show a saved answer again."""
        if self.multiple:
            return list(value) if isinstance(value, list) and value else [NOT_SURE]
        if value is None:
            return NOT_SURE
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


def _yes_no(not_sure_label: str | None = None) -> tuple[tuple[str, str], ...]:
    return (
        ("yes", _("Yes")),
        ("no", _("No")),
        (NOT_SURE, not_sure_label or _("I'd rather not say")),
    )


def questions_for(jurisdiction: str | None) -> list[Question]:
    """The questions in order, in the page's language; the list of apps comes from the chosen
    jurisdiction's pack."""
    language = guidance_language()
    pack = load_pack(jurisdiction or available_jurisdictions()[0], language)
    any_answer = _("Select an answer, or choose the last option if you are not sure")
    return [
        Question(
            "where",
            "jurisdiction",
            _("Where do you live?"),
            _("So we can show you the right phone numbers and services."),
            tuple(
                sorted(
                    ((code, load_pack(code, language).name) for code in available_jurisdictions()),
                    key=lambda choice: choice[1],
                )
            ),
            error=_("Select where you live"),
        ),
        Question(
            "when",
            "timing",
            _("Is this happening right now?"),
            _("For example, are they messaging or threatening you at the moment?"),
            (
                ("now", _("Yes, it is happening now")),
                ("recent", _("It happened recently, in the last few days")),
                ("earlier", _("It happened longer ago")),
                (NOT_SURE, _("I'm not sure")),
            ),
            any_answer,
        ),
        Question(
            "age",
            "under_18",
            _("Are you under 18?"),
            _("Young people have extra services that can help, including getting images removed."),
            _yes_no(),
            any_answer,
        ),
        Question(
            "feelings",
            "self_harm",
            _("Are you having thoughts of hurting yourself or ending your life?"),
            _(
                "Lots of people in this situation feel overwhelmed. Your answer changes what we "
                "show you first. Nobody else sees it, unless you later choose to send your record "
                "to a helpline, and then only so they can reply to you first."
            ),
            _yes_no(),
            any_answer,
        ),
        Question(
            "money",
            "paid",
            _("Have you sent them any money, gift cards or anything else?"),
            _("It is not your fault if you have. It changes what we suggest."),
            _yes_no(),
            any_answer,
        ),
        Question(
            "contact",
            "still_in_contact",
            _("Are you still messaging them, or are they still messaging you?"),
            "",
            _yes_no(_("I'm not sure")),
            any_answer,
        ),
        Question(
            "apps",
            "platforms",
            _("Which apps or sites did they use to contact you?"),
            _("Select all that apply. We will tell you how to report the account on each one."),
            (
                *((pid, platform.name) for pid, platform in pack.platforms.items()),
                (NOT_SURE, _("I'd rather not say")),
            ),
            multiple=True,
            error=_("Select the apps or sites they used, or “I'd rather not say”"),
        ),
        Question(
            "images",
            "images",
            _("Do they have images or video of you?"),
            "",
            (
                ("threatened", _("Yes, and they are threatening to share them")),
                ("shared", _("They have already shared or posted something")),
                (
                    "none",
                    _(
                        "No, I don't think any exist – for example, an email saying they "  # noqa: RUF001
                        "hacked my webcam"
                    ),
                ),
                (NOT_SURE, _("I'm not sure")),
            ),
            any_answer,
        ),
    ]
