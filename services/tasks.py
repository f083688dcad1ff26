from celery import shared_task

from .search.misses import delete_old_search_misses


@shared_task(name="import_ptv_area")
def import_ptv_area_task(area: str, full: bool, run_key: str) -> dict | None:
    """Import one wellbeing area from PTV (nightly incremental or weekly full); skips a repeat or an overlap."""
    from .ptv.actions import import_ptv_area

    summary = import_ptv_area(area=area, full=full, run_key=run_key)
    return summary.as_dict() if summary else None


@shared_task(name="import_ptv_areas")
def import_ptv_areas_task(full: bool = False) -> int:
    """Queue the PTV import of every area in PTV_SYNC_AREAS."""
    from .ptv.actions import import_ptv_areas

    return import_ptv_areas(full=full)


@shared_task(name="delete_old_search_misses")
def delete_old_search_misses_task() -> int:
    """Delete the counts of searches that found nothing once they are older than the 90 days they are kept."""
    return delete_old_search_misses()
