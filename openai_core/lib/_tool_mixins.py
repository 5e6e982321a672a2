"""The tool runner's entry points on the generated resources (``RESOURCE_MIXINS``):
``client.chat().completions().run_tools()`` / ``.stream_tools()`` and
``client.responses().run_tools()`` / ``.stream_tools()``.

Kept light: the runner (:mod:`openai_core.lib.tool_runner`) is imported on the first call, so
``client.chat()`` does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Union

from openai_core.lib.polling import ResourceMixin

if TYPE_CHECKING:
    from openai_core.lib.tool_runner import ToolRunResult, ToolRunStream
    from openai_core.lib.tools import FunctionTool
    from openai_core.resources.chat import ChatCompletionCreate
    from openai_core.resources.responses import ResponseCreate
    from openai_core.types.chat import ChatCompletion
    from openai_core.types.responses import Response

__all__ = ["ChatCompletionsToolsMixin", "ResponsesToolsMixin"]

ToolLike = Union["FunctionTool", Callable[..., Any]]


class ChatCompletionsToolsMixin(ResourceMixin):
    """``client.chat().completions().run_tools()`` and ``.stream_tools()``."""

    __slots__ = ()

    def run_tools(
        self,
        builder: ChatCompletionCreate,
        tools: Iterable[ToolLike],
        *,
        max_rounds: int = 10,
        parallel: bool = True,
        max_workers: Optional[int] = None,
    ) -> ToolRunResult[ChatCompletion, ChatCompletionCreate]:
        """Run a chat completion with function tools until the model answers.

        Args:
            builder: The request (model, messages, any options) from ``create()``; the tools'
                definitions are added to it.
            tools: :class:`~openai_core.lib.tools.FunctionTool` values, or plain functions
                (wrapped with ``function_tool``).
            max_rounds: Most model turns to make (default 10); see the module docstring.
            parallel: Run one round's calls at the same time (default ``True``; also off when
                the request sets ``parallel_tool_calls`` to false).
            max_workers: Threads for the calls (default: number of tools + 4, at most 32).

        Returns:
            A :class:`ToolRunResult`: ``final`` (the last ``ChatCompletion``), ``builder`` (the
            conversation so far) and ``trace``.

        Raises:
            TypeError: ``builder`` is not a chat-completion ``create()`` builder.
            ValueError: ``max_rounds`` < 1, no tools, or two tools with one name.
            APIError and subclasses: a model request failed.

        Examples:
            >>> result = client.chat().completions().run_tools(builder, [get_weather])
            >>> print(result.final.choices[0].message.content)
        """
        from openai_core.lib._tool_apis import ChatApi
        from openai_core.lib.tool_runner import check_arguments, run_tools

        check_arguments(builder, "openai_core.resources.chat.ChatCompletionCreate", max_rounds)
        return run_tools(
            ChatApi(),
            builder,
            tools,
            max_rounds=max_rounds,
            parallel=parallel,
            max_workers=max_workers,
        )

    def stream_tools(
        self,
        builder: ChatCompletionCreate,
        tools: Iterable[ToolLike],
        *,
        max_rounds: int = 10,
        parallel: bool = True,
        max_workers: Optional[int] = None,
    ) -> ToolRunStream[ChatCompletion, ChatCompletionCreate]:
        """Like :meth:`run_tools`, streaming each round and starting each tool call as soon as
        its arguments are complete.

        Returns:
            A :class:`ToolRunStream` (iterator of :data:`ToolRunEvent`, context manager);
            ``result()`` reads the rest and returns the :class:`ToolRunResult`.

        Examples:
            >>> with client.chat().completions().stream_tools(builder, [get_weather]) as run:
            ...     for event in run:
            ...         if isinstance(event, ToolCallStarted):
            ...             print("calling", event.name)
            ...     print(run.result().final.choices[0].message.content)
        """
        from openai_core.lib._tool_apis import ChatApi, tool_table
        from openai_core.lib.tool_runner import ToolRunStream, check_arguments

        check_arguments(builder, "openai_core.resources.chat.ChatCompletionCreate", max_rounds)
        return ToolRunStream(
            ChatApi(),
            builder,
            tool_table(tools),
            max_rounds=max_rounds,
            parallel=parallel,
            max_workers=max_workers,
        )


class ResponsesToolsMixin(ResourceMixin):
    """``client.responses().run_tools()`` and ``.stream_tools()``."""

    __slots__ = ()

    def run_tools(
        self,
        builder: ResponseCreate,
        tools: Iterable[ToolLike],
        *,
        max_rounds: int = 10,
        parallel: bool = True,
        max_workers: Optional[int] = None,
    ) -> ToolRunResult[Response, ResponseCreate]:
        """Run a response with function tools until the model answers.

        Each round sends the whole history as ``input`` items (the previous output items and
        a ``function_call_output`` per call), so no stored response is needed. Arguments and
        errors as for ``chat().completions().run_tools()``.

        Returns:
            A :class:`ToolRunResult` with ``final`` the last ``Response``.

        Examples:
            >>> builder = client.responses().create().model("gpt-5.4").input_text("Weather?")
            >>> print(client.responses().run_tools(builder, [get_weather]).final.output_text)
        """
        from openai_core.lib._tool_apis import ResponsesApi
        from openai_core.lib.tool_runner import check_arguments, run_tools

        check_arguments(builder, "openai_core.resources.responses.ResponseCreate", max_rounds)
        return run_tools(
            ResponsesApi(),
            builder,
            tools,
            max_rounds=max_rounds,
            parallel=parallel,
            max_workers=max_workers,
        )

    def stream_tools(
        self,
        builder: ResponseCreate,
        tools: Iterable[ToolLike],
        *,
        max_rounds: int = 10,
        parallel: bool = True,
        max_workers: Optional[int] = None,
    ) -> ToolRunStream[Response, ResponseCreate]:
        """Like :meth:`run_tools`, streaming; each call starts on its
        ``response.function_call_arguments.done`` event."""
        from openai_core.lib._tool_apis import ResponsesApi, tool_table
        from openai_core.lib.tool_runner import ToolRunStream, check_arguments

        check_arguments(builder, "openai_core.resources.responses.ResponseCreate", max_rounds)
        return ToolRunStream(
            ResponsesApi(),
            builder,
            tool_table(tools),
            max_rounds=max_rounds,
            parallel=parallel,
            max_workers=max_workers,
        )
