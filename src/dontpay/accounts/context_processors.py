"""What every staff page needs to know about who is signed in."""

from django.http import HttpRequest

from .roles import ADMIN, HOME
from .sign_in import recent_alerts


def staff_home(request: HttpRequest) -> dict[str, str]:
    """The signed-in staff member's start page (the header links there), or the login page."""
    user = getattr(request, "user", None)
    profile = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    return {"staff_home": HOME.get(profile.role, "/staff/") if profile else "/staff/login/"}


def sign_in_alerts(request: HttpRequest) -> dict[str, object]:
    """For admins only: the staff accounts someone has been guessing at in the last day."""
    user = getattr(request, "user", None)
    profile = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    if profile is None or profile.role != ADMIN:
        return {}
    return {"sign_in_alerts": recent_alerts()}
