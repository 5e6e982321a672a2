"""Polling helpers of batches: ``client.batches().poll()`` and ``create_and_poll()``.

A batch is done when its status is ``completed``, ``failed``, ``cancelled`` or ``expired``. How
polling works: :mod:`openai_core.lib.polling`.

Source: https://platform.openai.com/docs/api-reference/batch/retrieve-batch
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, FrozenSet, Optional

from openai_core.lib.polling import (
    ResourceMixin,
    check_builder,
    check_seconds,
    id_of,
    poll_until_terminal,
)

if TYPE_CHECKING:
    from openai_core._generated.resources.batches import BatchesCreateBuilder

__all__ = ["BATCH_TERMINAL_STATUSES", "BatchesPollingMixin"]

BATCH_TERMINAL_STATUSES: FrozenSet[str] = frozenset({"completed", "failed", "cancelled", "expired"})
"""Batch statuses that end polling."""


class BatchesPollingMixin(ResourceMixin):
    """Polling helpers of ``client.batches()``.

    Examples:
        >>> batches = client.batches()
        >>> batch = batches.create_and_poll(
        ...     batches.create().input_file_id("file-abc").endpoint("/v1/responses")
        ...     .completion_window("24h"), poll_interval=60, timeout=24 * 3600)
    """

    __slots__ = ()

    def poll(
        self,
        batch_id: str,
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Retrieve a batch until its status is ``completed``, ``failed``, ``cancelled`` or
        ``expired``.

        Args:
            batch_id: The batch.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s (a batch takes minutes to hours: consider a longer interval).
            timeout: Seconds to keep polling; default ``None``, no limit.

        Returns:
            The batch in its terminal status.

        Raises:
            PollingTimeoutError: ``timeout`` passed first (``.last`` is the last batch).
            APIStatusError, APIConnectionError: as ``retrieve(...).send()`` raises them.

        Source: https://platform.openai.com/docs/api-reference/batch/retrieve-batch
        """
        batches = self._client.batches()
        return poll_until_terminal(
            self._client,
            lambda: batches.retrieve(batch_id).send_with_meta(),
            terminal=BATCH_TERMINAL_STATUSES,
            what=f"batch {batch_id}",
            poll_interval=poll_interval,
            timeout=timeout,
        )

    def create_and_poll(
        self,
        request: BatchesCreateBuilder,
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Send a configured ``batches().create()`` builder, then poll the batch as
        :meth:`poll` does.

        Args:
            request: ``client.batches().create()`` with ``.input_file_id()``, ``.endpoint()``
                and ``.completion_window()`` set.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling after the batch was created; default ``None``.

        Returns:
            The batch in its terminal status.

        Raises:
            TypeError: ``request`` is not a batch-create builder.
            PollingTimeoutError, APIStatusError, APIConnectionError: as :meth:`poll`.

        Source: https://platform.openai.com/docs/api-reference/batch/create-batch
        """
        from openai_core._generated.resources.batches import BatchesCreateBuilder

        check_builder(
            request, (BatchesCreateBuilder,), "create_and_poll", "client.batches().create()"
        )
        check_seconds("poll_interval", poll_interval)
        check_seconds("timeout", timeout)
        sent = request.send_with_meta()
        batch_id = id_of(sent.data, "batch")
        batches = self._client.batches()
        return poll_until_terminal(
            self._client,
            lambda: batches.retrieve(batch_id).send_with_meta(),
            terminal=BATCH_TERMINAL_STATUSES,
            what=f"batch {batch_id}",
            first=sent,
            poll_interval=poll_interval,
            timeout=timeout,
        )
