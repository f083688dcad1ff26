from django.core.management.base import BaseCommand

from services.search.vocabulary import refresh_vocabulary


class Command(BaseCommand):
    help = (
        "Add every word of the services' search documents to the search vocabulary and analyse the new ones "
        "(Finnish base forms and compound parts, Swedish forms and parts). Searches and the PTV import do this for "
        "what they meet; run it after loading services by SQL. --prune also drops words no service uses."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="Remove words no service uses any more.")
        parser.add_argument("--reanalyse", action="store_true", help="Analyse every word again, not only new ones.")

    def handle(self, *args, prune, reanalyse, **options):
        changed, analysed = refresh_vocabulary(prune=prune, reanalyse=reanalyse)
        self.stdout.write(f"{changed} words added{' or removed' if prune else ''}, {analysed} analysed.")
