"""The client's address, read one way for the sign-in lockout (django-axes) and the API's
throttles: behind TRUSTED_PROXY_COUNT reverse proxies that each append the address they saw to
X-Forwarded-For, the client is the TRUSTED_PROXY_COUNT-th address from the right. Addresses
further left were sent by the client and could be anything; with no proxy (0, the default) the
header is ignored and the client is REMOTE_ADDR."""

from django.conf import settings


def client_ip(request):
    remote_addr = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count == 0 or not forwarded.strip():
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(count, len(addresses))]
