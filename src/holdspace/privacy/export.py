"""Everything Holdspace holds about a person, as JSON they can download."""

from __future__ import annotations

from typing import Any

from holdspace.accounts.models import Consent, User


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_of(user: User) -> dict[str, Any]:
    from holdspace.care.models import Break, Debrief, WellbeingCheckIn
    from holdspace.community.models import Membership
    from holdspace.groups.models import Booking
    from holdspace.messaging.models import Message, Reaction
    from holdspace.moderation.models import ModerationAction, Report
    from holdspace.referrals.models import Referral
    from holdspace.support.models import Feedback, SupportRequest
    from holdspace.training.models import Certification, QuizAttempt

    return {
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "country": user.country,
            "joined": _when(user.date_joined),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "consents": [
            {"text": c.text.kind, "version": c.text.version, "given_at": _when(c.given_at)}
            for c in Consent.objects.filter(user=user).select_related("text")
        ],
        "messages": [
            {"thread": m.thread_id, "at": _when(m.created_at), "body": m.body}
            for m in Message.objects.filter(author=user).order_by("created_at")
        ],
        "i_hear_you_given": Reaction.objects.filter(user=user).count(),
        "rooms_joined": list(
            Membership.objects.filter(user=user).values_list("room__name", flat=True)
        ),
        "support_requests": [
            {
                "topic": r.topic,
                "language": r.language,
                "status": r.status,
                "at": _when(r.created_at),
            }
            for r in SupportRequest.objects.filter(member=user)
        ],
        "feedback_given": [
            {"felt_heard": f.felt_heard, "comment": f.comment, "at": _when(f.created_at)}
            for f in Feedback.objects.filter(conversation__member=user)
        ],
        "bookings": [
            {
                "session": b.session.title,
                "starts_at": _when(b.session.starts_at),
                "cancelled_at": _when(b.cancelled_at),
                "attended_at": _when(b.attended_at),
            }
            for b in Booking.objects.filter(member=user).select_related("session")
        ],
        "referrals": [
            {
                "service": r.service.name,
                "status": r.status,
                "proposed_at": _when(r.proposed_at),
                "consented_at": _when(r.consented_at),
                "follow_up": r.follow_up_answer,
                "follow_up_note": r.follow_up_note,
            }
            for r in Referral.objects.filter(member=user).select_related("service")
        ],
        "reports_made": [
            {"message": r.message_id, "reason": r.reason, "at": _when(r.created_at)}
            for r in Report.objects.filter(reporter=user)
        ],
        "moderation_decisions": [
            {"kind": a.kind, "reason": a.reason, "at": _when(a.created_at)}
            for a in ModerationAction.objects.filter(subject=user)
        ],
        "training": {
            "quiz_attempts": [
                {"module": a.module.slug, "score": a.score_percent, "at": _when(a.submitted_at)}
                for a in QuizAttempt.objects.filter(user=user).select_related("module")
            ],
            "certifications": [
                {"from": _when(c.certified_at), "until": _when(c.expires_at)}
                for c in Certification.objects.filter(user=user)
            ],
        },
        "self_care": {
            "check_ins": [
                {"answers": w.answers, "score": w.score, "at": _when(w.created_at)}
                for w in WellbeingCheckIn.objects.filter(supporter=user)
            ],
            "debriefs": [
                {"reflection": d.reflection, "at": _when(d.completed_at)}
                for d in Debrief.objects.filter(supporter=user)
            ],
            "breaks": Break.objects.filter(supporter=user).count(),
        },
    }
