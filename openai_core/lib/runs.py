"""Polling helpers of Assistants runs: ``client.beta().threads().runs().poll()``,
``create_and_poll()`` and ``submit_tool_outputs_and_poll()``.

A run is done when its status is ``completed``, ``failed``, ``cancelled``, ``expired``,
``incomplete`` or ``requires_action`` (it waits for tool outputs). How polling works:
:mod:`openai_core.lib.polling`.

Source: https://platform.openai.com/docs/api-reference/threads/retrieve-run
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, FrozenSet, Optional

from openai_core.lib.polling import (
    ResourceMixin,
    check_builder,
    check_seconds,
    id_of,
    path_param,
    poll_until_terminal,
)

if TYPE_CHECKING:
    from openai_core._builder import RequestBuilder
    from openai_core._generated.resources.beta import (
        BetaThreadsRunsCreateBuilder,
        BetaThreadsRunsSubmitToolOutputsBuilder,
    )

__all__ = ["RUN_TERMINAL_STATUSES", "RunsPollingMixin"]

RUN_TERMINAL_STATUSES: FrozenSet[str] = frozenset(
    {"completed", "failed", "cancelled", "expired", "incomplete", "requires_action"}
)
"""Run statuses that end polling (``requires_action`` waits for tool outputs)."""


class RunsPollingMixin(ResourceMixin):
    """Polling helpers of ``client.beta().threads().runs()``.

    Examples:
        >>> runs = client.beta().threads().runs()
        >>> run = runs.create_and_poll(
        ...     runs.create("thread_abc").assistant_id("asst_abc"), timeout=300)
        >>> run = runs.poll("run_abc", "thread_abc")  # official order: run, then thread
    """

    __slots__ = ()

    def poll(
        self,
        run_id: str,
        thread_id: str,
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Retrieve a run until its status is terminal: ``completed``, ``failed``,
        ``cancelled``, ``expired``, ``incomplete`` or ``requires_action``.

        The arguments come in the official SDK's order, run first (unlike ``retrieve``, whose
        positional arguments follow the path).

        Args:
            run_id: The run.
            thread_id: Its thread.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling; default ``None``, no limit.

        Returns:
            The run in its terminal status.

        Raises:
            PollingTimeoutError: ``timeout`` passed first (``.last`` is the last run).
            ValueError: the IDs look swapped (``thread_…`` first, ``run_…`` second), or a
                negative ``poll_interval``/``timeout``.
            APIStatusError, APIConnectionError: as ``retrieve(...).send()`` raises them.

        Source: https://platform.openai.com/docs/api-reference/threads/retrieve-run
        """
        if run_id.startswith("thread_") and thread_id.startswith("run_"):
            raise ValueError(
                f"poll() takes (run_id, thread_id), run first; got run_id={run_id!r}, "
                f"thread_id={thread_id!r}"
            )
        runs = self._client.beta().threads().runs()
        return poll_until_terminal(
            self._client,
            lambda: runs.retrieve(thread_id, run_id).send_with_meta(),
            terminal=RUN_TERMINAL_STATUSES,
            what=f"run {run_id}",
            poll_interval=poll_interval,
            timeout=timeout,
        )

    def create_and_poll(
        self,
        request: BetaThreadsRunsCreateBuilder,
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Send a configured ``runs().create(thread_id)`` builder, then poll the run as
        :meth:`poll` does.

        Args:
            request: ``client.beta().threads().runs().create(thread_id)`` with its setters
                applied (``.assistant_id(...)`` at least).
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling after the run was created; default ``None``.

        Returns:
            The run in its terminal status.

        Raises:
            TypeError: ``request`` is not a run-create builder.
            PollingTimeoutError, APIStatusError, APIConnectionError: as :meth:`poll`.

        Source: https://platform.openai.com/docs/api-reference/threads/create-run
        """
        from openai_core._generated.resources.beta import BetaThreadsRunsCreateBuilder

        check_builder(
            request,
            (BetaThreadsRunsCreateBuilder,),
            "create_and_poll",
            "client.beta().threads().runs().create(thread_id)",
        )
        return self._send_and_poll(request, path_param(request, 1), poll_interval, timeout)

    def submit_tool_outputs_and_poll(
        self,
        request: BetaThreadsRunsSubmitToolOutputsBuilder,
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Send a configured ``runs().submit_tool_outputs(thread_id, run_id)`` builder, then
        poll the run as :meth:`poll` does.

        Args:
            request: The builder with ``.tool_outputs([...])`` set.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling after the outputs were submitted; default ``None``.

        Returns:
            The run in its next terminal status.

        Raises:
            TypeError: ``request`` is not a submit-tool-outputs builder.
            PollingTimeoutError, APIStatusError, APIConnectionError: as :meth:`poll`.

        Source: https://platform.openai.com/docs/api-reference/threads/submit-tool-outputs-to-run
        """
        from openai_core._generated.resources.beta import BetaThreadsRunsSubmitToolOutputsBuilder

        check_builder(
            request,
            (BetaThreadsRunsSubmitToolOutputsBuilder,),
            "submit_tool_outputs_and_poll",
            "client.beta().threads().runs().submit_tool_outputs(thread_id, run_id)",
        )
        return self._send_and_poll(request, path_param(request, 1), poll_interval, timeout)

    def _send_and_poll(
        self,
        request: RequestBuilder[Any],
        thread_id: str,
        poll_interval: Optional[float],
        timeout: Optional[float],
    ) -> Any:
        check_seconds("poll_interval", poll_interval)
        check_seconds("timeout", timeout)
        sent = request.send_with_meta()
        run_id = id_of(sent.data, "run")
        runs = self._client.beta().threads().runs()
        return poll_until_terminal(
            self._client,
            lambda: runs.retrieve(thread_id, run_id).send_with_meta(),
            terminal=RUN_TERMINAL_STATUSES,
            what=f"run {run_id}",
            first=sent,
            poll_interval=poll_interval,
            timeout=timeout,
        )
