"""REST framework's throttles (settings: API_THROTTLE_ANON, API_THROTTLE_USER), with two
changes: the client's address is read as the sign-in lockout reads it (config/client_ip.py,
TRUSTED_PROXY_COUNT), not from any X-Forwarded-For a client sends; and the rate is read from the
settings on each request, not once at import, so that a test or a changed setting takes effect.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

from config.client_ip import client_ip


class SettingsRate:
    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class AnonRateThrottle(SettingsRate, throttling.AnonRateThrottle):
    """Anonymous clients, per address (scope "anon")."""


class UserRateThrottle(SettingsRate, throttling.UserRateThrottle):
    """Signed-in users and tokens, per user (scope "user")."""
