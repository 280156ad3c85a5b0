"""Steps of the guided flow as a person takes them, shared by the browser tests."""

from playwright.sync_api import Page


def choose(page: Page, label: str) -> None:
    """Tick the radio or checkbox with this exact label, then continue."""
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def answer(page: Page, *labels: str | list[str]) -> None:
    """Answer questions in order; a list ticks several checkboxes on one page."""
    for label in labels:
        if isinstance(label, list):
            for item in label:
                page.get_by_label(item, exact=True).check()
            page.get_by_role("button", name="Continue").click()
        else:
            choose(page, label)


def plan_step_ids(page: Page) -> list[str]:
    return page.locator("li.dp-step").evaluate_all("els => els.map(e => e.dataset.step)")
