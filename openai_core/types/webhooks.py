"""Webhook events: the generated models, also under the official SDK's names.

``client.webhooks().unwrap(...)`` returns a :data:`WebhookEvent` (``UnwrapWebhookEvent`` in the
official SDK): one of these by ``type``, or :class:`UnknownWebhookEvent` for a type this SDK
does not know.

Source: https://platform.openai.com/docs/api-reference/webhook-events
"""

from __future__ import annotations

from openai_core._generated.models.other import (
    UnknownWebhookEvent,
    WebhookBatchCancelled,
    WebhookBatchCompleted,
    WebhookBatchExpired,
    WebhookBatchFailed,
    WebhookEvalRunCanceled,
    WebhookEvalRunFailed,
    WebhookEvalRunSucceeded,
    WebhookEvent,
    WebhookFineTuningJobCancelled,
    WebhookFineTuningJobFailed,
    WebhookFineTuningJobSucceeded,
    WebhookLiveCallIncoming,
    WebhookRealtimeCallIncoming,
    WebhookResponseCancelled,
    WebhookResponseCompleted,
    WebhookResponseFailed,
    WebhookResponseIncomplete,
)

__all__ = [
    "BatchCancelledWebhookEvent",
    "BatchCompletedWebhookEvent",
    "BatchExpiredWebhookEvent",
    "BatchFailedWebhookEvent",
    "EvalRunCanceledWebhookEvent",
    "EvalRunFailedWebhookEvent",
    "EvalRunSucceededWebhookEvent",
    "FineTuningJobCancelledWebhookEvent",
    "FineTuningJobFailedWebhookEvent",
    "FineTuningJobSucceededWebhookEvent",
    "RealtimeCallIncomingWebhookEvent",
    "ResponseCancelledWebhookEvent",
    "ResponseCompletedWebhookEvent",
    "ResponseFailedWebhookEvent",
    "ResponseIncompleteWebhookEvent",
    "UnknownWebhookEvent",
    "UnwrapWebhookEvent",
    "WebhookBatchCancelled",
    "WebhookBatchCompleted",
    "WebhookBatchExpired",
    "WebhookBatchFailed",
    "WebhookEvalRunCanceled",
    "WebhookEvalRunFailed",
    "WebhookEvalRunSucceeded",
    "WebhookEvent",
    "WebhookFineTuningJobCancelled",
    "WebhookFineTuningJobFailed",
    "WebhookFineTuningJobSucceeded",
    "WebhookLiveCallIncoming",
    "WebhookRealtimeCallIncoming",
    "WebhookResponseCancelled",
    "WebhookResponseCompleted",
    "WebhookResponseFailed",
    "WebhookResponseIncomplete",
]

UnwrapWebhookEvent = WebhookEvent
BatchCancelledWebhookEvent = WebhookBatchCancelled
BatchCompletedWebhookEvent = WebhookBatchCompleted
BatchExpiredWebhookEvent = WebhookBatchExpired
BatchFailedWebhookEvent = WebhookBatchFailed
EvalRunCanceledWebhookEvent = WebhookEvalRunCanceled
EvalRunFailedWebhookEvent = WebhookEvalRunFailed
EvalRunSucceededWebhookEvent = WebhookEvalRunSucceeded
FineTuningJobCancelledWebhookEvent = WebhookFineTuningJobCancelled
FineTuningJobFailedWebhookEvent = WebhookFineTuningJobFailed
FineTuningJobSucceededWebhookEvent = WebhookFineTuningJobSucceeded
RealtimeCallIncomingWebhookEvent = WebhookRealtimeCallIncoming
ResponseCancelledWebhookEvent = WebhookResponseCancelled
ResponseCompletedWebhookEvent = WebhookResponseCompleted
ResponseFailedWebhookEvent = WebhookResponseFailed
ResponseIncompleteWebhookEvent = WebhookResponseIncomplete
