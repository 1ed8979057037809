"""The background task of mailings. The worker imports it by its dotted path
(`meetings.invitations.tasks.deliver_mailing`), which the queue stores with each job; `anso`
never imports it."""

from anso.tasks import background


@background
def deliver_mailing(mailing_id: int, **_queued_before) -> int:
    """`_queued_before`: a job queued before links were made from SITE_URL also carries the
    site's address, now unused."""
    from .services import mailing_deliver

    return mailing_deliver(mailing_id=mailing_id)
