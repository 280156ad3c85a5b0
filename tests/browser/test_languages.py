"""The guided flow in each language, at phone width in chromium: nothing left in English but
names and addresses, no sideways scrolling, no serious accessibility problem, Exit still works,
Urdu laid out right to left, and English one tap away without losing the person's place."""

import re
from itertools import pairwise
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .test_exit_and_privacy import leaving_for_the_exit_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Each language with the country it is walked in (any language works with any country).
WALKS = {"cy": "GB", "es": "US", "fr": "GB", "hi": "GB", "ur": "GB"}
#: Answers by radio value, so the walk does not depend on the words on the page.
ANSWERS = {
    "when": "recent",
    "age": "no",
    "feelings": "no",
    "money": "yes",
    "contact": "yes",
    "apps": "not-sure",
    "images": "threatened",
}
#: Words that appear in English sentences but in none of these languages' sentences.
ENGLISH_WORDS = {
    "the", "and", "you", "your", "this", "with", "what", "have", "are", "for", "will", "from",
    "they", "them", "that", "not", "was", "when", "who", "how", "our", "we", "us", "it", "if",
    "to", "of", "in",
}  # fmt: skip

#: Proper names the guidance keeps in English in every language.
NAMES = ("Police Service of Northern Ireland",)

#: The page's visible text, leaving out what is marked as English (names of sources, the
#: language chooser's "English") and web or email addresses.
VISIBLE_TEXT = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    const skipped = '[lang^="en"], script, style, .govuk-visually-hidden';
    if (!element || element.closest(skipped)) continue;
    if (!element.getClientRects().length) continue;
    parts.push(node.textContent);
  }
  return parts.join(' ');
}"""


def english_words(page: Page) -> set[str]:
    text = page.evaluate(VISIBLE_TEXT)
    for name in NAMES:
        text = text.replace(name, " ")
    # A record's reference and passphrase ("DP-HY1B-HBGB", "7BF0-WE2K-…") are random letters
    # and digits, which may happen to hold "we" or "on" between digits.
    without_codes = re.sub(r"\b[A-Z0-9]{2,4}(?:-[A-Z0-9]{4})+\b", " ", text)
    without_addresses = re.sub(r"\S*[/@]\S*|\S+\.[a-z]{2,}\S*", " ", without_codes)
    # Whole words in any script: "notés" is French, not "not" followed by something else.
    return set(re.findall(r"[^\W\d_]+", without_addresses.lower())) & ENGLISH_WORDS


def check_page(page: Page, language: str, problems: dict[str, object]) -> None:
    url = page.url
    assert page.locator("html").get_attribute("lang") == language, url
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ur" else "ltr")
    if words := english_words(page):
        problems[f"{url} English"] = sorted(words)
    if page.evaluate("document.documentElement.scrollWidth") > 390:
        problems[f"{url} width"] = page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("language", WALKS)
def test_the_guided_flow_speaks_the_chosen_language(
    page: Page,
    live_server,
    language: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    problems: dict[str, object] = {}
    axe = Axe()

    def accessible(name: str) -> None:
        violations = axe.run(page).response["violations"]
        if serious := [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]:
            problems[f"{name} axe"] = serious

    page.goto("/")
    page.locator(f"button[name=language][value={language}]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    check_page(page, language, problems)
    page.locator(".govuk-button--start").click()
    page.locator(f"input[value={WALKS[language]}]").check()
    page.locator("form .govuk-button").click()
    for slug, value in ANSWERS.items():
        expect(page).to_have_url(re.compile(f"/questions/{slug}/$"))
        check_page(page, language, problems)
        if slug == "age":
            accessible(slug)
            if language == "ur":
                radio = page.locator("input[value=yes]").bounding_box()
                label = page.locator("label[for=id_answer]").bounding_box()
                assert radio
                assert label
                assert radio["x"] > label["x"], "radios sit on the right of their labels"
        page.locator(f"input[value='{value}']").check()
        page.locator("form .govuk-button").click()
    expect(page).to_have_url(re.compile("/plan/$"))
    check_page(page, language, problems)
    accessible("plan")
    page.screenshot(path=tmp_path / f"plan-{language}.png", full_page=True)

    # English is one tap away, on the same page, with the answers kept; and back again.
    page.locator("button[name=language][value=en-gb]").click()
    expect(page).to_have_url(re.compile("/plan/$"))
    expect(page.locator("h1")).to_have_text("Your plan")
    expect(page.locator("li.dp-step")).not_to_have_count(0)
    page.locator(f"button[name=language][value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)

    with leaving_for_the_exit_site(page) as leaving:
        page.locator(".govuk-exit-this-page__button").click()
    assert leaving.value.redirected_from.url.endswith("/exit/")  # type: ignore[union-attr]
    page.goto(f"{live_server.url}/plan/")
    expect(page).to_have_url(re.compile("/questions/where/$"))  # answers forgotten
    assert page.locator("html").get_attribute("lang") == "en-gb"  # and the language too
    assert problems == {}


#: Each phone number written in groups in the steps' words, with where each group is drawn.
NUMBER_GROUPS = """() => {
  const numbers = [];
  for (const paragraph of document.querySelectorAll('p.govuk-body, p.govuk-body-s')) {
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const match of node.textContent.matchAll(/\\d+(?: \\d+)+/g)) {
        const groups = [];
        let start = match.index;
        for (const group of match[0].split(' ')) {
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + group.length);
          const box = range.getBoundingClientRect();
          groups.push([box.left, box.top]);
          start += group.length + 1;
        }
        numbers.push([match[0], groups]);
      }
    }
  }
  return numbers;
}"""


def test_a_phone_number_in_an_urdu_plan_is_drawn_in_the_order_it_is_dialled(page: Page) -> None:
    """Right to left, "131 444" would be drawn as "444 131" and dialled wrongly from the screen;
    broken across two lines it would read in the wrong order too. The crisis banner as well, at
    the narrowest phone width."""
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    page.locator("button[name=language][value=ur]").click()
    page.locator(".govuk-button--start").click()
    page.locator("input[value=AU]").check()
    page.locator("form .govuk-button").click()
    page.goto("/plan/")
    numbers = page.evaluate(NUMBER_GROUPS)
    assert {"131 444", "13 11 14", "1800 55 1800"} <= {number for number, _ in numbers}
    for number, groups in numbers:
        for (left, top), (next_left, next_top) in pairwise(groups):
            assert top == next_top, f"{number} is broken across lines"
            assert left < next_left, number
