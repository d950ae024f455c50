"""Middleware of our own."""

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"
REFUSAL = "A NUL character (%00) in the address or its query: refused."
API_PREFIX = "/api/"  # the API answers its errors in JSON, as its schema documents


class RefuseNulMiddleware:
    """A NUL character in the address or a query parameter (`?verdict=%00`) is a 400, for every
    page, the admin and the API alike. No filter or lookup could use it: PostgreSQL refuses it in
    any text it compares (a 500 from the admin's list filters), and one check here spares every
    view and filter form its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": REFUSAL}, status=400)
            return HttpResponseBadRequest(REFUSAL, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
