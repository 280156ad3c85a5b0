"""The pages shown when something goes wrong: styled like every other page, in plain words,
and on the victim side still with Exit this page and the crisis contacts.

Staff pages (under ``/staff/``) get the staff layout; a refused staff page says which roles it
is for and links to the person's own start page. The platform API (``/api/v1/``) answers in
problem+json on its own, before these handlers are reached.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _

from dontpay.accounts.roles import PERMISSIONS, ROLES

logger = logging.getLogger(__name__)

#: The heading and paragraphs of each error page (GOV.UK's "There is a problem with the
#: service" and "Page not found" patterns).
PAGES: dict[int, tuple[StrPromise, tuple[StrPromise, ...]]] = {
    400: (
        _("Sorry, there is a problem with the service"),
        (_("What was sent could not be used. Go back to the page you came from and try again."),),
    ),
    403: (
        _("You cannot open this page"),
        (_("This page is not available to you."),),
    ),
    404: (
        _("Page not found"),
        (
            _("If you typed the web address, check it is correct."),
            _("If you pasted the web address, check you copied the entire address."),
        ),
    ),
    500: (
        _("Sorry, there is a problem with the service"),
        (_("Try again later."), _("Anything you saved before this happened is still saved.")),
    ),
}


def _page(request: HttpRequest, status: int, **extra: object) -> HttpResponse:
    heading, paragraphs = PAGES[status]
    side = "staff" if request.path.startswith("/staff/") else "victim"
    context = {"status": status, "heading": heading, "paragraphs": paragraphs, **extra}
    try:
        html = render_to_string(f"errors/{side}.html", context, request=request)
    except Exception:  # The error page itself must never fail: fall back to a static one.
        logger.exception("the %s page for a %s error could not be rendered", side, status)
        html = render_to_string("500.html")
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Say who the page is for, when the refusal named the permission it needed."""
    permission = str(exception) if isinstance(exception, PermissionDenied) else ""
    labels = dict(ROLES)
    allowed = sorted(f"{labels[role].lower()}s" for role in PERMISSIONS.get(permission, ()))
    profile = getattr(request.user, "staff", None)
    role = getattr(profile, "role", "")
    return _page(
        request,
        403,
        allowed_roles=" and ".join(
            [", ".join(allowed[:-1]), allowed[-1]] if allowed[1:] else allowed
        ),
        role_label=labels.get(role, "").lower(),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500)
