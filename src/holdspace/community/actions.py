from django.db import transaction

from holdspace.accounts.models import User
from holdspace.community.models import Membership, Room


@transaction.atomic
def do_join_room(user: User, room: Room) -> Membership:
    membership, _ = Membership.objects.get_or_create(room=room, user=user)
    return membership
