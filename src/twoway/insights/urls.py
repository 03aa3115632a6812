from django.urls import path  # noqa: F401  (the areas below add their pages)

app_name = "insights"

urlpatterns: list = []
