from django.urls import path

from . import views

app_name = "help"
urlpatterns = [
    path("", views.start, name="start"),
    path("questions/<slug:slug>/", views.question, name="question"),
    path("plan/", views.plan, name="plan"),
    path("staying-safe/", views.staying_safe, name="staying_safe"),
    path("exit/", views.exit_page, name="exit"),
]
