"""The guided flow: start, one question per page, the action plan, staying safe, exit."""

from dataclasses import replace

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dontpay.domain.guidance import build_plan, may_hash_on_device

from .forms import form_for
from .language import guidance_language
from .questions import NOT_SURE, Question, questions_for
from .record_session import child_in_this_visit
from .session import (
    current_answers,
    done_steps,
    mark_step,
    save_answer,
    saved_answers,
)


def start(request: HttpRequest) -> HttpResponse:
    """What this is, that it is not their fault, and how to leave quickly."""
    return render(request, "help/start.html")


def staying_safe(request: HttpRequest) -> HttpResponse:
    """Browsing history, shared devices and what Exit this page does not do."""
    return render(request, "help/staying_safe.html")


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask one question; on a valid answer, save it and go on."""
    answers = saved_answers(request.session)
    questions = questions_for(answers.get("jurisdiction"))
    index = next((i for i, q in enumerate(questions) if q.slug == slug), None)
    if index is None:
        raise Http404
    current = questions[index]
    if index > 0 and "jurisdiction" not in answers:
        return redirect("help:question", slug=questions[0].slug)
    changing = request.GET.get("change") == "1"

    if request.method == "POST":
        form = form_for(current, data=request.POST)
        if form.is_valid():
            save_answer(
                request.session, current.field, current.value_for(form.cleaned_data["answer"])
            )
            if changing or index + 1 == len(questions):
                return redirect("help:plan")
            return redirect("help:question", slug=questions[index + 1].slug)
    else:
        saved = current.choice_for(answers[current.field]) if current.field in answers else None
        form = form_for(current, initial=saved)

    back_url = (
        reverse("help:plan")
        if changing
        else reverse("help:question", kwargs={"slug": questions[index - 1].slug})
        if index
        else reverse("help:start")
    )
    return render(
        request,
        "help/question.html",
        {
            "question": current,
            "form": form,
            "number": index + 1,
            "count": len(questions),
            "back_url": back_url,
            "can_skip": "jurisdiction" in answers and not changing,
            "not_sure": NOT_SURE,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    """The personal action plan, as a list of steps the person can tick off."""
    answers = current_answers(request.session)
    if answers is None:
        return redirect("help:question", slug="where")
    action_plan = build_plan(replace(answers, language=guidance_language()))
    if request.method == "POST":
        key = request.POST.get("step", "")
        step = next((s for s in action_plan.steps if s.key == key), None)
        if step is None:
            return redirect("help:plan")
        mark_step(request.session, step, request.POST.get("done") == "1")
        return HttpResponseRedirect(f"{reverse('help:plan')}#{step.key}")
    saved = saved_answers(request.session)
    return render(
        request,
        "help/plan.html",
        {
            "plan": action_plan,
            "emergency": action_plan.emergency_call(),
            "done": done_steps(request.session, action_plan.steps),
            "may_hash": may_hash_on_device(answers) and not child_in_this_visit(request),
            "answer_rows": _answer_rows(questions_for(answers.jurisdiction), saved),
        },
    )


def exit_page(request: HttpRequest) -> HttpResponse:
    """Forget everything in the session, then leave for an ordinary-looking site."""
    request.session.flush()
    return HttpResponseRedirect(settings.DONTPAY_EXIT_URL)


def _answer_rows(questions: list[Question], saved: dict[str, object]) -> list[dict[str, str]]:
    """The "Your answers" summary: each question, the answer's label and a change link."""
    rows = []
    for q in questions:
        labels = dict(q.choices)
        if q.field in saved:
            chosen = q.choice_for(saved[q.field])
            picked = chosen if isinstance(chosen, list) else [chosen]
            answer = ", ".join(labels.get(str(c), str(c)) for c in picked)
        else:
            answer = _("Not answered")
        rows.append(
            {
                "question": q.heading,
                "answer": answer,
                "change_url": reverse("help:question", kwargs={"slug": q.slug}) + "?change=1",
            }
        )
    return rows


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was sent from a page that has expired (for example after Exit in another tab)."""
    return render(request, "help/expired.html", status=403)
