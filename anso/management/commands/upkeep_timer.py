import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand

from anso.background.upkeep import upkeep

logger = logging.getLogger("anso.background.upkeep")


def upkeep_enqueue_once_per_period(*, now: float | None = None) -> bool:
    """Queue the upkeep unless another timer (another machine) did in this period: the
    shared "ratelimit" cache (Redis, or the database) holds one key per period. True if it
    queued it. A queue that is down is logged, and the next period tries again."""
    period = settings.UPKEEP_SECONDS
    slot = int((time.time() if now is None else now) // period)
    if not caches["ratelimit"].add(f"upkeep:queued:{slot}", 1, timeout=period + 60):
        return False
    try:
        upkeep.enqueue()
    except Exception:
        logger.exception("The upkeep could not be queued")
        caches["ratelimit"].delete(f"upkeep:queued:{slot}")
        return False
    return True


class Command(BaseCommand):
    help = (
        "Queue the upkeep task (anso/background/upkeep.py) every UPKEEP_SECONDS, for the worker "
        "to run. scripts/worker starts it beside the worker; timers on several machines queue it "
        "once per period between them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Queue it once and exit.")

    def handle(self, *args, once=False, **options):
        period = settings.UPKEEP_SECONDS
        while True:
            if upkeep_enqueue_once_per_period():
                logger.info("Upkeep queued")
            if once:
                return
            # Sleep to the start of the next period, so that every timer aims at the same slot.
            time.sleep(period - time.time() % period + 1)
