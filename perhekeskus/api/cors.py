"""``Access-Control-Allow-Origin: *`` for the public read API, and answers to CORS preflight requests.

Only reads: the API takes no cookies or credentials, so any web page may call it from the browser. The other
paths of the site send no CORS headers at all.
"""

import re

from django.http import HttpResponse

API_PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT_MAX_AGE = str(24 * 60 * 60)
HEADER_NAMES_RE = re.compile(r"^[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*$")


def public_api_cors(get_response):
    def middleware(request):
        if not request.path_info.startswith(API_PREFIX):
            return get_response(request)
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            requested = request.headers.get("access-control-request-headers", "")
            # Simple reads need no extra headers; echo what was asked so a client library's own headers pass.
            if len(requested) < 500 and HEADER_NAMES_RE.match(requested):
                response["Access-Control-Allow-Headers"] = requested
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        else:
            response = get_response(request)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "Retry-After"
        return response

    return middleware
