import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from services.demo.generator import DemoSeeder, demo_organisations, flush_demo_data


class Command(BaseCommand):
    help = (
        "Build a realistic bilingual national demo dataset: for every wellbeing area and municipality, services "
        "of the wellbeing area, the municipality, NGOs, parishes and private providers, with locations, opening "
        "hours, holiday exceptions and meeting places with weekly activities. Running it again replaces the "
        "earlier demo data (only demo organisations, recognised by their demo business ids and example.org "
        "websites, are deleted); other data and users are left alone. The same --seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the districts per municipality (1 ≈ 4 200 services; 19 ≈ 30 000 for benchmarks).",
        )
        parser.add_argument("--areas", default="", help="Only these area codes, comma separated (e.g. 01,90).")
        parser.add_argument(
            "--municipalities-per-area", type=int, default=None, help="Only the first N municipalities of each area."
        )
        parser.add_argument("--today", default="", help="Date the data is relative to, YYYY-MM-DD (default today).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if demo data already exists.")
        parser.add_argument("--flush", action="store_true", help="Only delete the demo data, create nothing.")

    def handle(self, *args, seed, scale, areas, municipalities_per_area, today, if_empty, flush, **options):
        if flush:
            self.stdout.write(f"Deleted {flush_demo_data()} demo organisations and their data.")
            return
        if if_empty and demo_organisations().exists():
            self.stdout.write("Demo data exists; nothing done (--if-empty).")
            return
        if scale < 1 or scale > 50:
            raise CommandError("--scale must be between 1 and 50.")
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        area_codes = [code.strip() for code in areas.split(",") if code.strip()] or None
        seeder = DemoSeeder(
            seed=seed,
            scale=scale,
            area_codes=area_codes,
            municipalities_per_area=municipalities_per_area,
            today=day,
            log=lambda message: self.stdout.write(message),
        )
        stats = seeder.run()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {stats.organisations} organisations, {stats.services} services, {stats.locations} "
                f"locations, {stats.meeting_places} meeting places and {stats.activities} activities "
                f"in {stats.seconds:.1f} s."
            )
        )
