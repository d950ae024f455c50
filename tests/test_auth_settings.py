"""The lockout, throttle, token and cache settings come from the environment (issue 11,
item 11), and a value that cannot be read stops the start naming the variable."""

import os
import subprocess
import sys

import pytest

from tests.test_settings import ROOT, load_settings

PRINT = (
    "import config.settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, "
    "s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], "
    "s.REST_KNOX['TOKEN_TTL'].days, s.CACHES['default'])"
)


def settings_printed(**env):
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**load_env(), **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def load_env():
    names = {"LOGIN_FAILURE_LIMIT", "LOGIN_COOLOFF_MINUTES", "TRUSTED_PROXY_COUNT", "CACHE_URL"}
    names |= {"API_THROTTLE_ANON", "API_THROTTLE_USER", "API_TOKEN_TTL_DAYS"}
    return {k: v for k, v in os.environ.items() if k not in names} | {"DEBUG": "true"}


def test_the_defaults():
    assert settings_printed() == (
        "5 0:15:00 0 {'anon': '120/minute', 'user': '600/minute'} 90 "
        "{'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}"
    )


def test_it_reads_every_one_from_the_environment():
    assert settings_printed(
        LOGIN_FAILURE_LIMIT="10",
        LOGIN_COOLOFF_MINUTES="60",
        TRUSTED_PROXY_COUNT="1",
        API_THROTTLE_ANON="30/minute",
        API_THROTTLE_USER="1000/hour",
        API_TOKEN_TTL_DAYS="7",
        CACHE_URL="file:///var/cache/evidence",
    ) == (
        "10 1:00:00 1 {'anon': '30/minute', 'user': '1000/hour'} 7 "
        "{'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache', "
        "'LOCATION': '/var/cache/evidence'}"
    )


def test_a_redis_url_is_a_redis_cache():
    assert "RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/0'" in settings_printed(
        CACHE_URL="redis://127.0.0.1:6379/0"
    )


@pytest.mark.parametrize(
    "env,message",
    [
        ({"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT=0 must be at least 1"),
        ({"LOGIN_COOLOFF_MINUTES": "soon"}, "LOGIN_COOLOFF_MINUTES='soon' is not a whole number"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT=-1 must be at least 0"),
        ({"API_THROTTLE_ANON": "fast"}, "API_THROTTLE_ANON='fast' is not a rate"),
        ({"API_THROTTLE_USER": "10/fortnight"}, "API_THROTTLE_USER='10/fortnight' is not a rate"),
        ({"API_TOKEN_TTL_DAYS": "0"}, "API_TOKEN_TTL_DAYS=0 must be at least 1"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL='memcached://x' is not a cache"),
        ({"CACHE_URL": "file://relative"}, "CACHE_URL='file://relative' is not a cache"),
    ],
)
def test_a_value_it_cannot_read_stops_the_start_naming_the_variable(env, message):
    result = load_settings(**load_env(), **env)
    assert result.returncode != 0
    assert message in result.stderr
