from django.tasks import task

from holdspace.referrals.actions import do_mark_follow_up_due


@task()
def follow_up_referral(referral_id: int) -> bool:
    """Enqueued when a member accepts a referral, to run HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS later:
    their page then asks how it went. A worker (`holdspace worker`) runs it."""
    return do_mark_follow_up_due(referral_id)
