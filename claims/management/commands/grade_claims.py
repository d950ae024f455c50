from django.core.management.base import BaseCommand

from claims.services import claims_grade


class Command(BaseCommand):
    help = (
        "Recompute every claim's suggested grade from its approved findings and store it as the "
        "claim's provisional assessment. Assessments by graders are never changed."
    )

    def handle(self, *args, **options):
        for assessment in claims_grade():
            certainty = assessment.get_certainty_display() or "no certainty"
            self.stdout.write(
                f"{assessment.claim.slug}: {assessment.get_verdict_display()}, {certainty}"
            )
