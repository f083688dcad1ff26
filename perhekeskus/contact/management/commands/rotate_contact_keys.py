from django.core.management.base import BaseCommand
from django.db import transaction

from perhekeskus.contact import crypto
from perhekeskus.contact.models import ContactMessage, ContactRequest

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored anonymous question and reply address with the first of CONTACT_ENCRYPTION_KEYS, "
        "after a new key was put first; the old keys can then be removed."
    )

    def handle(self, *args, **options):
        rotated = 0
        for model, field in ((ContactMessage, "body_encrypted"), (ContactRequest, "reply_email_encrypted")):
            last = 0
            while True:
                with transaction.atomic():
                    rows = list(
                        model.objects.select_for_update()
                        .filter(pk__gt=last)
                        .exclude(**{field: ""})
                        .order_by("pk")
                        .only("pk", field)[:BATCH]
                    )
                    if not rows:
                        break
                    for row in rows:
                        setattr(row, field, crypto.rotate(getattr(row, field)))
                    model.objects.bulk_update(rows, [field])
                rotated += len(rows)
                last = rows[-1].pk
        self.stdout.write(f"Re-encrypted {rotated} values with the newest key.")
