from django.urls import path

from twoway.insights.views import reports

app_name = "insights"

urlpatterns: list = [
    path("<slug:slug>/reports/", reports.reports, name="reports"),
    path("<slug:slug>/reports/figures.csv", reports.report_figures_csv, name="report-figures-csv"),
    path("<slug:slug>/reports/pairings.csv", reports.pairing_list_csv, name="pairing-list-csv"),
]
