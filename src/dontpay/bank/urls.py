"""URLs of the bank app: the platform API, version 1.

Ninja answers a wrong method with a plain-text 405, and Django an unknown path with the site's
HTML page; under ``api/v1/`` both are turned into problem+json like every other API error.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from .api import api
from .problems import ApiProblem, problem_response

View = Callable[..., HttpResponseBase]


def _problem_for_wrong_method(view: View) -> View:
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allowed = response["Allow"]
            problem = problem_response(
                ApiProblem(405, f"{request.method} is not allowed here; use {allowed}")
            )
            problem["Allow"] = allowed
            return problem
        return response

    return checked


@csrf_exempt
def _not_found(request: HttpRequest, rest: str) -> HttpResponseBase:
    return problem_response(ApiProblem(404, "There is no such endpoint; see /api/v1/openapi.json"))


_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    if isinstance(_pattern, URLPattern):
        _pattern.callback = _problem_for_wrong_method(_pattern.callback)

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", include((_patterns, _app_name), namespace=_namespace)),
    re_path(r"^api/v1/(?P<rest>.*)$", _not_found),
]
