from django.urls import path

from holdspace.training import views

urlpatterns = [
    path("", views.overview, name="training"),
    path("practice/", views.practice_list, name="practice_list"),
    path("practice/<slug:slug>/", views.practice, name="practice"),
    path("practice/<slug:slug>/coach", views.practice_coach, name="practice_coach"),
    path("attempts/<int:pk>/", views.quiz_result, name="quiz_result"),
    path("<slug:slug>/", views.module_page, name="training_module"),
    path("<slug:slug>/quiz", views.quiz, name="quiz"),
]
