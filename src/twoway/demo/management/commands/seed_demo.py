from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from twoway.demo.org import MIN_PEOPLE
from twoway.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Create (or recreate) the demo organisation; idempotent and deterministic per seed."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=240)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--force",
            action="store_true",
            help="seed even when TWOWAY_ENV=production (it creates a superuser with a "
            "published password)",
        )

    def handle(self, *args, people: int, seed: int, force: bool, **options):
        if people < MIN_PEOPLE:
            raise CommandError(f"--people: must be at least {MIN_PEOPLE}, got {people}")
        if settings.PRODUCTION and not force:
            raise CommandError(
                "refusing to seed the demo in production: it creates accounts, a superuser "
                "among them, whose password is published. Use --force for a public demo site."
            )
        summary = seed_demo(people=people, seed=seed)
        self.stdout.write(
            f"Demo organisation ready: {summary.people} people, {summary.programs} programs, "
            f"{summary.pilot_pairings} pairings in the pilot, "
            f"{summary.draft_participants} people enrolling in the next program."
        )
        self.stdout.write(f"Sign in with the password '{summary.password}' as:")
        for sign_in in summary.sign_ins:
            self.stdout.write(f"  {sign_in.role:<22} {sign_in.name:<20} {sign_in.email}")
