from django.urls import path

from twoway.relationships.views import agreement, conversations, growth, pair

app_name = "relationships"

urlpatterns = [
    path("<int:pairing_id>/", pair.pairing_overview, name="pairing"),
    path("<int:pairing_id>/agreement/", agreement.agreement_page, name="agreement"),
    path("<int:pairing_id>/agreement/edit/", agreement.agreement_edit, name="agreement-edit"),
    path(
        "<int:pairing_id>/agreement/versions/<int:version>/",
        agreement.agreement_version_page,
        name="agreement-version",
    ),
    path(
        "<int:pairing_id>/agreement/versions/<int:version>/confirm/",
        agreement.agreement_confirm_view,
        name="agreement-confirm",
    ),
    # Conversations, the two-way ledger and conversation prompts.
    path(
        "<int:pairing_id>/conversations/",
        conversations.conversations_page,
        name="conversations",
    ),
    path(
        "<int:pairing_id>/conversations/prompts/",
        conversations.prompts_page,
        name="prompts",
    ),
    path(
        "<int:pairing_id>/conversations/prompts/<slug:prompt_id>/used/",
        conversations.prompt_mark_view,
        name="prompt-mark",
    ),
    path(
        "<int:pairing_id>/conversations/<int:conversation_id>/",
        conversations.conversation_page,
        name="conversation",
    ),
    path(
        "<int:pairing_id>/conversations/<int:conversation_id>/change/",
        conversations.conversation_change,
        name="conversation-change",
    ),
    path(
        "<int:pairing_id>/conversations/<int:conversation_id>/cancel/",
        conversations.conversation_cancel_view,
        name="conversation-cancel",
    ),
    path(
        "<int:pairing_id>/conversations/<int:conversation_id>/calendar.ics",
        conversations.conversation_calendar,
        name="conversation-calendar",
    ),
    path(
        "<int:pairing_id>/conversations/<int:conversation_id>/notes/",
        conversations.conversation_notes,
        name="conversation-notes",
    ),
    path(
        "<int:pairing_id>/conversations/<int:conversation_id>/learned/",
        conversations.conversation_log,
        name="conversation-log",
    ),
    path(
        "<int:pairing_id>/conversations/<int:conversation_id>/learned/<int:exchange_id>/",
        conversations.exchange_edit,
        name="exchange-edit",
    ),
    path(
        "<int:pairing_id>/conversations/<int:conversation_id>/learned/<int:exchange_id>/remove/",
        conversations.exchange_remove_view,
        name="exchange-remove",
    ),
    path("<int:pairing_id>/goals/", growth.goals_page, name="goals"),
    path("<int:pairing_id>/goals/add/", growth.goal_add, name="goal-add"),
    path(
        "<int:pairing_id>/goals/<int:goal_id>/check-in/",
        growth.goal_check_in_view,
        name="goal-check-in",
    ),
    path(
        "<int:pairing_id>/goals/<int:goal_id>/<slug:action>/",
        growth.goal_status_view,
        name="goal-status",
    ),
    path("<int:pairing_id>/pulse/", growth.pulse_view, name="pulse"),
    path("<int:pairing_id>/endorse/", growth.endorse_view, name="endorse"),
]
