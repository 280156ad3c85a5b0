"""The plan engine: turns a person's answers into an ordered list of steps.

Each rule below decides whether its step applies, which wording of it fits (the pack holds one
wording per situation, including "we don't know" wordings that cover both cases in words), and
how urgent it is. Steps are ordered by urgency, then by the order of `RULES`.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum

from .answers import Answers
from .pack import Contact, Pack, Source, load_pack


class Urgency(IntEnum):
    """How soon a step should be done; lower sorts first."""

    EMERGENCY = 0
    NOW = 1
    TODAY = 2
    WHEN_READY = 3

    @property
    def label(self) -> str:
        """The stable name used in JSON and templates, e.g. ``when-ready``."""
        return self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class Step:
    """One thing to do, in words for this person."""

    id: str
    title: str
    body: str
    urgency: Urgency
    contacts: tuple[Contact, ...]
    sources: tuple[Source, ...]
    platform: str | None = None
    #: The language of `title` and `body`: the one asked for, or English where the pack has
    #: no translation into it.
    language: str = "en"
    #: Which of the pack's wordings of the step this is (e.g. ``happening-now``).
    variant: str = ""

    @property
    def key(self) -> str:
        """Unique within a plan: ``report-to-platform`` appears once per platform."""
        return f"{self.id}:{self.platform}" if self.platform else self.id


@dataclass(frozen=True)
class Plan:
    """The ordered steps for one person."""

    jurisdiction: str
    steps: tuple[Step, ...]
    #: The language the plan was asked for in.
    language: str = "en"

    def step_ids(self) -> list[str]:
        """The ids in order, repeated for per-platform steps."""
        return [step.id for step in self.steps]

    def emergency_call(self) -> tuple[Step, Contact] | None:
        """The first emergency step with a number to call, and that contact: shown first, as
        a button, because it is the one thing that cannot wait."""
        for step in self.steps:
            if step.urgency is Urgency.EMERGENCY:
                for contact in step.contacts:
                    if contact.phone:
                        return step, contact
        return None

    def first_steps(self, most: int = 5) -> tuple[Step, ...]:
        """The steps to do at once (emergency or now), at most `most`: the short summary."""
        return tuple(step for step in self.steps if step.urgency <= Urgency.NOW)[:most]


@dataclass(frozen=True)
class _Choice:
    """A rule's decision: which wording of its step, how urgent, and for which platform."""

    variant: str
    urgency: Urgency
    platform: str | None = None


Rule = Callable[[Answers], Iterator[_Choice]]


def _call_emergency(answers: Answers) -> Iterator[_Choice]:
    if answers.timing == "now":
        yield _Choice("happening-now", Urgency.EMERGENCY)
    elif answers.self_harm:
        yield _Choice("at-risk", Urgency.EMERGENCY)
    elif answers.timing is None:
        yield _Choice("if-happening-now", Urgency.EMERGENCY)


def _crisis_support(answers: Answers) -> Iterator[_Choice]:
    if answers.self_harm:
        yield _Choice("thoughts-of-harm", Urgency.EMERGENCY)
    elif answers.self_harm is None:
        yield _Choice("if-thoughts", Urgency.NOW)
    else:
        yield _Choice("available", Urgency.WHEN_READY)


def _do_not_pay(answers: Answers) -> Iterator[_Choice]:
    variant = {True: "paid", False: "not-paid", None: "unknown"}[answers.paid]
    yield _Choice(variant, Urgency.NOW)


def _already_paid(answers: Answers) -> Iterator[_Choice]:
    if answers.paid:
        yield _Choice("paid", Urgency.TODAY)


def _stop_communicating(answers: Answers) -> Iterator[_Choice]:
    if answers.still_in_contact is False:
        yield _Choice("not-in-contact", Urgency.TODAY)
    else:
        yield _Choice("in-contact" if answers.still_in_contact else "unknown", Urgency.NOW)


def _by_age(answers: Answers) -> str:
    return {True: "child", False: "adult", None: "unknown"}[answers.under_18]


def _preserve_evidence(answers: Answers) -> Iterator[_Choice]:
    yield _Choice(_by_age(answers), Urgency.NOW)


def _child_protection(answers: Answers) -> Iterator[_Choice]:
    if answers.under_18:
        yield _Choice("child", Urgency.NOW)
    elif answers.under_18 is None:
        yield _Choice("unknown", Urgency.TODAY)


def _report_to_police(answers: Answers) -> Iterator[_Choice]:
    # An email claiming a hacked webcam, with no real images and nothing paid, is phishing:
    # `bulk-scam` says where that goes instead.
    if answers.images == "none" and not answers.paid:
        return
    yield _Choice(_by_age(answers), Urgency.TODAY)


def _report_to_platform(answers: Answers) -> Iterator[_Choice]:
    if not answers.platforms:
        yield _Choice("unknown-platform", Urgency.TODAY)
    for platform in answers.platforms:
        yield _Choice("platform", Urgency.TODAY, platform)


def _stop_the_spread(answers: Answers) -> Iterator[_Choice]:
    if answers.images == "none":
        return
    urgency = Urgency.NOW if answers.images == "shared" else Urgency.TODAY
    yield _Choice(_by_age(answers), urgency)


def _bulk_scam(answers: Answers) -> Iterator[_Choice]:
    if answers.images == "none":
        yield _Choice("no-images", Urgency.TODAY)
    elif answers.images is None:
        yield _Choice("if-email", Urgency.WHEN_READY)


#: Each step's rule, in the order steps of equal urgency are shown.
RULES: dict[str, Rule] = {
    "call-emergency": _call_emergency,
    "crisis-support": _crisis_support,
    "do-not-pay": _do_not_pay,
    "stop-communicating": _stop_communicating,
    "preserve-evidence": _preserve_evidence,
    "child-protection": _child_protection,
    "report-to-police": _report_to_police,
    "already-paid": _already_paid,
    "report-to-platform": _report_to_platform,
    "stop-the-spread": _stop_the_spread,
    "bulk-scam": _bulk_scam,
}


def may_hash_on_device(answers: Answers) -> bool:
    """Whether the plan may offer to fingerprint the person's images on their device. Never to
    a child: images of under-18s go to Report Remove and Take It Down, which are built for them
    (the "child" wording of stop-the-spread says so). An unknown age is asked again there."""
    return answers.under_18 is not True


def build_plan(answers: Answers) -> Plan:
    """The ordered action plan for these answers, in the words of their jurisdiction's pack, in
    the answers' language wherever the pack is translated into it."""
    return build_plan_from_packs(
        answers, load_pack(answers.jurisdiction, answers.language), load_pack(answers.jurisdiction)
    )


def build_plan_from_packs(answers: Answers, pack: Pack, english: Pack) -> Plan:
    """The plan for these answers from packs already parsed: `pack` in the answers' language
    (or English where it is not translated) and `english`, for a step whose platform route is
    not in `pack`'s language. Apart from `build_plan` so that packs parsed from other data than
    the shipped files (a translation taken out, say) give a plan by the same rules."""
    chosen = [
        (choice.urgency, order, _render(pack, english, step_id, choice))
        for order, (step_id, rule) in enumerate(RULES.items())
        for choice in rule(answers)
    ]
    chosen.sort(key=lambda item: (item[0], item[1]))
    return Plan(
        jurisdiction=pack.jurisdiction,
        steps=tuple(step for _, _, step in chosen),
        language=answers.language,
    )


def _render(pack: Pack, english: Pack, step_id: str, choice: _Choice) -> Step:
    if choice.platform and pack.platforms[choice.platform].language != pack.language:
        pack = english  # one language per step: never a translated step around English words
    text = pack.step_text(step_id, choice.variant)
    title, body, sources, contacts = text.title, text.body, text.sources, text.contacts
    language = text.language
    if choice.platform:
        platform = pack.platforms[choice.platform]
        fields = {"platform": platform.in_a_sentence, "how_to_report": platform.how_to_report}
        title, body = title.format_map(fields), body.format_map(fields)
        sources = (*sources, *platform.sources)
        if platform.report_url:
            route = Contact(
                id=platform.id,
                name=platform.name,
                url=platform.report_url,
                source=platform.sources[0],
                language=language,
            )
            contacts = (*contacts, route)
    return Step(
        id=step_id,
        title=title,
        body=body,
        urgency=choice.urgency,
        contacts=contacts,
        sources=tuple(dict.fromkeys(sources)),
        platform=choice.platform,
        language=language,
        variant=choice.variant,
    )
