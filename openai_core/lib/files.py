"""``client.files().wait_for_processing()``: poll an uploaded file until the API has processed
it (status ``processed``, ``error`` or ``deleted``), every 5 s for up to 30 minutes by default.

Source: https://platform.openai.com/docs/api-reference/files/retrieve-file
"""

from __future__ import annotations

from typing import Any, FrozenSet

from openai_core.lib.polling import (
    ResourceMixin,
    check_seconds,
    poll_until_terminal,
)

__all__ = ["FILE_TERMINAL_STATUSES", "FilesPollingMixin"]

FILE_TERMINAL_STATUSES: FrozenSet[str] = frozenset({"processed", "error", "deleted"})
"""File statuses that end :meth:`FilesPollingMixin.wait_for_processing`."""


class FilesPollingMixin(ResourceMixin):
    """``client.files().wait_for_processing()``.

    Examples:
        >>> processed = client.files().wait_for_processing("file-abc", max_wait_seconds=600)
    """

    __slots__ = ()

    def wait_for_processing(
        self,
        file_id: str,
        *,
        poll_interval: float = 5.0,
        max_wait_seconds: float = 30 * 60,
    ) -> Any:
        """Retrieve a file until its status is ``processed``, ``error`` or ``deleted``.

        Args:
            file_id: The file.
            poll_interval: Seconds between polls; default 5.
            max_wait_seconds: Seconds to keep polling; default 1800 (30 minutes).

        Returns:
            The file in its terminal status (check ``status``: ``error`` is returned, not
            raised).

        Raises:
            PollingTimeoutError: ``max_wait_seconds`` passed first (``.last`` is the last file).
            ValueError: a negative ``poll_interval`` or ``max_wait_seconds``.
            APIStatusError, APIConnectionError: as ``retrieve(...).send()`` raises them.

        Source: https://platform.openai.com/docs/api-reference/files/retrieve-file
        """
        check_seconds("max_wait_seconds", max_wait_seconds)
        files = self._client.files()
        return poll_until_terminal(
            self._client,
            lambda: files.retrieve(file_id).send_with_meta(),
            terminal=FILE_TERMINAL_STATUSES,
            what=f"file {file_id}",
            poll_interval=poll_interval,
            timeout=max_wait_seconds,
        )
