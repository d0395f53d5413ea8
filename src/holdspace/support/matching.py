"""Which supporters may take a request. The one function issue 6 replaces.

Until training and boundaries exist, every active supporter counts as certified, available in
every topic and language, and uncapped.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from holdspace.accounts.models import User
from holdspace.support.models import SupportRequest


def supporters_for(request: SupportRequest) -> QuerySet[User]:
    offer = Permission.objects.get(content_type__app_label="accounts", codename="offer_support")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=offer) | Q(user_permissions=offer))
        .exclude(pk=request.member_id)
        .distinct()
    )


def may_accept(supporter: User, request: SupportRequest) -> bool:
    return supporters_for(request).filter(pk=supporter.pk).exists()
