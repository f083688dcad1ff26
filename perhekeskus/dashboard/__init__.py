"""The coordinator dashboard: one wellbeing area's coverage, Swedish parity, stale entries, broken links and the
searches that found nothing, in the admin (``/<lang>/admin/dashboard/``) for the area's coordinators and superusers."""
