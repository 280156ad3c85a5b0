"""The one place staff access is checked: signed in, second factor verified, recently active,
and holding the permission the view needs."""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from .roles import role_may

#: Staff sessions end after this long without a request.
IDLE_SECONDS = 15 * 60

View = Callable[..., HttpResponseBase]


def staff_role(request: HttpRequest) -> str | None:
    """The role of a fully signed-in, recently active staff member, or None."""
    user = request.user
    if not (user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
        return None
    if time.time() - request.session.get("staff_seen", 0) > IDLE_SECONDS:
        logout(request)
        return None
    request.session["staff_seen"] = time.time()
    profile = getattr(user, "staff", None)
    return profile.role if profile else None


def requires(permission: str) -> Callable[[View], View]:
    """Decorate a view: anonymous visitors go to the login page, others need `permission`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            role = staff_role(request)
            if role is None:
                return redirect(f"/staff/login/?next={request.path}")
            if not role_may(role, permission):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
