"""gzip for the pages and API answers that are the same for every visitor.

A search page is about 47 kB of HTML and 7–8 kB gzipped. Compressing a response that carries a secret next to text the
visitor controls (the search words) opens the BREACH attack: an attacker who can make a victim's browser send many
requests and watch the compressed sizes can guess the secret a character at a time. Here:

- The CSRF token in a form is masked with a new random value on every response (Django), so it never repeats in a way
  compression could reveal, and Django's GZipMiddleware pads every gzip header with 0–100 random bytes ("Heal the
  Breach"), which makes the length side channel far slower to read.
- Pages with a person's own data (every page a signed-in user gets and the account pages, which show e.g. two-factor
  secrets and recovery codes) are not compressed at all: perhekeskus.headers.private_pages_not_stored marks them
  ``Cache-Control: no-store`` and they go out as they are. They are few, and only staff see them.

Static files never reach this middleware: WhiteNoise, above it in MIDDLEWARE, answers them itself with the gzip and
Brotli copies made by collectstatic.
"""

from django.middleware.gzip import GZipMiddleware


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if "no-store" in response.get("Cache-Control", ""):
            return response
        return super().process_response(request, response)
