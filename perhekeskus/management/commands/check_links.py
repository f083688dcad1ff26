from django.core.management.base import BaseCommand

from perhekeskus.linkcheck.job import check_links


class Command(BaseCommand):
    help = (
        "Check the web addresses due for the weekly link check now (what the hourly Celery task does) and print "
        "a summary. Does nothing while another check is running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="check at most this many addresses")

    def handle(self, *args, limit=None, **options):
        summary = check_links(limit=limit)
        if summary is None:
            self.stdout.write("Another link check is running; nothing done.")
            return
        outcomes = ", ".join(f"{name} {count}" for name, count in sorted(summary.outcomes.items())) or "nothing due"
        self.stdout.write(
            f"{summary.checked} addresses checked ({outcomes}); {summary.added} new addresses, "
            f"{summary.removed} no longer used."
        )
