"""The public read API at /api/v1/ (DRF): one router over every app, strict parameters, OpenAPI at /api/schema/.

Lives in the composition layer because it reads all three apps (DESIGN.md: "API router"); the services list runs
the site's one search core (``services.search``), so the API and the search page filter and rank alike.
"""
