"""manage.py import_ptv: import organisations, services and service locations from PTV (or saved PTV JSON files)."""

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from organisations.models import Municipality, WellbeingArea
from services.ptv import actions
from services.ptv.adapters import PayloadError
from services.ptv.client import PTVError
from services.ptv.importer import Scope


class ProgressBar:
    """A one-line bar on stderr, redrawn at most once per percent."""

    def __init__(self, stream, width: int = 40):
        self.stream, self.width, self.last = stream, width, -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent == self.last and done != total:
            return
        self.last = percent
        filled = self.width * percent // 100
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import organisations, services and service locations from the national service catalogue PTV, by wellbeing "
        "area, municipality or organisation, or from saved JSON files (--from-file). Prints a summary; exits 1 when "
        "something failed or the sweep was refused."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--area", help="wellbeing area code, e.g. 05")
        scope.add_argument("--municipality", help="municipality code, e.g. 853")
        scope.add_argument("--organisation", help="PTV id (GUID) of an organisation")
        parser.add_argument(
            "--from-file",
            nargs="+",
            type=Path,
            metavar="PATH",
            help="PTV JSON pages or objects (files, or directories of *.json) instead of the API",
        )
        parser.add_argument("--since", help="only what PTV published at or after this ISO date-time (incremental)")
        parser.add_argument(
            "--full",
            action="store_true",
            help="a full pass: also archive the scope's imported services that PTV no longer lists",
        )
        parser.add_argument("--force-sweep", action="store_true", help="archive even past PTV_SWEEP_MAX_SHARE")
        parser.add_argument("--api-version", type=int, choices=[11, 12], default=12)
        parser.add_argument("--progress", action="store_true", help="show the progress bar also when not on a TTY")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, **options):
        scope = self._scope(options)
        since = None
        if options["since"]:
            moment = parse_datetime(options["since"]) or self._date(options["since"])
            if moment is None:
                raise CommandError(f"--since: not an ISO date or date-time: {options['since']!r}")
            since = (timezone.make_aware(moment) if timezone.is_naive(moment) else moment).isoformat()
        if options["full"] and since:
            raise CommandError("--full and --since exclude each other: a full pass reads everything.")
        show = options["progress"] or sys.stderr.isatty()
        progress = ProgressBar(sys.stderr) if show else None
        try:
            if options["from_file"]:
                summary = actions.import_ptv_files(
                    paths=options["from_file"],
                    full=options["full"],
                    scope=scope,
                    force_sweep=options["force_sweep"],
                    progress=progress,
                )
            else:
                if scope.kind == "all":
                    raise CommandError("Give --area, --municipality or --organisation (or --from-file).")
                summary = actions.import_ptv_scope(
                    scope=scope,
                    since=since,
                    full=options["full"],
                    api_version=options["api_version"],
                    force_sweep=options["force_sweep"],
                    progress=progress,
                )
        except (PayloadError, PTVError) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        else:
            for line in summary.lines():
                self.stdout.write(line)
        if not summary.ok:
            sys.exit(1)

    def _date(self, value: str):
        try:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
        except ValueError:
            return None

    def _scope(self, options) -> Scope:
        if options["area"]:
            if not WellbeingArea.objects.filter(code=options["area"]).exists():
                raise CommandError(f"--area: no wellbeing area {options['area']!r}")
            return Scope("area", options["area"])
        if options["municipality"]:
            if not Municipality.objects.filter(code=options["municipality"]).exists():
                raise CommandError(f"--municipality: no municipality {options['municipality']!r}")
            return Scope("municipality", options["municipality"])
        if options["organisation"]:
            import uuid

            try:
                return Scope("organisation", str(uuid.UUID(options["organisation"])))
            except ValueError as error:
                raise CommandError(f"--organisation: not a PTV id: {options['organisation']!r}") from error
        return Scope()
