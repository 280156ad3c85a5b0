"""What every staff page needs to know about who is signed in."""

from django.http import HttpRequest

from .roles import HOME


def staff_home(request: HttpRequest) -> dict[str, str]:
    """The signed-in staff member's start page (the header links there), or the login page."""
    user = getattr(request, "user", None)
    profile = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    return {"staff_home": HOME.get(profile.role, "/staff/") if profile else "/staff/login/"}
