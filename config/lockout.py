"""The page django-axes answers with once a user name is locked at an address
(AXES_LOCKOUT_CALLABLE): 429, Retry-After, and what to do."""

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    response = render(
        request,
        "registration/locked_out.html",
        {
            "title": "Too many failed sign-ins",
            "username": get_client_username(request, credentials) or "",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": minutes,
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
