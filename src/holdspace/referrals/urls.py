from django.urls import path

from holdspace.referrals import views

urlpatterns = [
    path("", views.directory, name="referrals"),
    path("mine/", views.mine, name="my_referrals"),
    path("<int:pk>/answer", views.answer, name="answer_referral"),
    path("<int:pk>/follow-up", views.follow_up, name="answer_follow_up"),
    path("threads/<int:thread_id>/", views.thread_referrals, name="thread_referrals"),
    path("threads/<int:thread_id>/propose", views.propose, name="propose_referral"),
]
