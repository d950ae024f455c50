from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus

from claims.intake.candidates import refresh_study_vectors
from claims.models import Article, Claim
from evidence.models import Study


class Command(BaseCommand):
    help = (
        "Load the seed article and its data (fixtures/seed.json) into an empty database. A "
        "database that already holds articles, claims or studies is left as it is, so that "
        "nobody's work is overwritten."
    )

    def handle(self, *args, **options):
        if Article.objects.exists() or Claim.objects.exists() or Study.objects.exists():
            self.stdout.write("The database already holds data; the seed was not loaded again.")
            return
        call_command("loaddata", "seed", verbosity=0)
        self.stdout.write(
            f"Loaded the seed: {Article.objects.count()} article, {Claim.objects.count()} claims, "
            f"{Study.objects.count()} studies."
        )
        # The seed's studies embedded for the candidate studies of its claims (at once with the
        # immediate task backend; a worker does it with another).
        result = refresh_study_vectors.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL and result.return_value["embedded"]:
            self.stdout.write(f"Embedded {result.return_value['embedded']} studies.")
        elif result.status == TaskResultStatus.READY:
            self.stdout.write("The studies' embedding is queued for the task worker.")
