"""The tool runner: ``client.chat().completions().run_tools(builder, tools)`` and
``client.responses().run_tools(builder, tools)``, plus their streaming twins ``stream_tools``.

A run loops model → tool calls → results → model until the model answers without tool calls, or
until ``max_rounds`` model turns (default 10) have been made: the run then returns (it does not
raise) with ``result.max_rounds_reached`` set, and the last turn's calls are recorded as
``"not_run"``. One round's calls run on a thread pool, at the same time, unless the request sets
``parallel_tool_calls`` to false or ``parallel=False`` is passed (then one at a time, in order).
An unknown tool name, arguments that are not valid JSON or do not match the tool's schema, and
an exception raised by the tool are sent back to the model as that call's output (an
``Error: ...`` text) instead of ending the run. API errors (HTTP, connection) do end it.

A forced ``tool_choice`` (``"required"`` or a named function) applies to the first round only;
later rounds send ``"auto"``. A trailing assistant message in the request (a prefill) is replaced
in the history by the model's tool-calling turn that continues it (Chat Completions also merges
it into a final text answer).

Every run keeps a :class:`ToolRunTrace` (each round's compiled request, response, usage and
durations; each call's arguments, output, status and duration): ``print(result.trace)``.

Streaming (``stream_tools``) yields :data:`ToolRunEvent` values and starts each call as soon as
its arguments are complete — on ``response.function_call_arguments.done`` (Responses), or when
the next tool call starts or the choice finishes (Chat Completions) — while the model's stream
goes on.

Examples:
    >>> @function_tool
    ... def get_weather(city: str) -> str:
    ...     '''Get the current weather for a city.'''
    ...     return "22 °C and sunny"
    >>> builder = client.chat().completions().create().model("gpt-5.4").message_user(
    ...     "What is the weather in Paris?")
    >>> result = client.chat().completions().run_tools(builder, [get_weather])
    >>> print(result.final.choices[0].message.content)
    >>> print(result.trace)

Source: https://platform.openai.com/docs/guides/function-calling
"""

from __future__ import annotations

import time
from typing import Any, Iterable, List, Optional

from openai_core.lib._tool_apis import (
    ToolApi,
    ToolExecutor,
    ToolLike,
    not_run,
    tool_table,
)
from openai_core.lib._tool_stream import ToolRunStream
from openai_core.lib._tool_trace import (
    ModelStreamEvent,
    RoundFinished,
    ToolCallFinished,
    ToolCallRecord,
    ToolCallStarted,
    ToolRound,
    ToolRunEvent,
    ToolRunResult,
    ToolRunTrace,
)

__all__ = [
    "ModelStreamEvent",
    "RoundFinished",
    "ToolCallFinished",
    "ToolCallRecord",
    "ToolCallStarted",
    "ToolRound",
    "ToolRunEvent",
    "ToolRunResult",
    "ToolRunStream",
    "ToolRunTrace",
]


def check_arguments(builder: Any, cls_path: str, max_rounds: int) -> None:
    """Check the builder's class (``"module.Class"``) and ``max_rounds``.

    Raises:
        TypeError: not a builder of that class.
        ValueError: ``max_rounds`` is not an int >= 1.
    """
    module, _, name = cls_path.rpartition(".")
    import importlib

    cls = getattr(importlib.import_module(module), name)
    if not isinstance(builder, cls):
        raise TypeError(f"pass a {name} builder (from create()), got {type(builder).__name__}")
    if isinstance(max_rounds, bool) or not isinstance(max_rounds, int) or max_rounds < 1:
        raise ValueError(f"max_rounds must be an int >= 1, got {max_rounds!r}")


def run_tools(
    api: ToolApi,
    builder: Any,
    tools: Iterable[ToolLike],
    *,
    max_rounds: int,
    parallel: bool,
    max_workers: Optional[int],
) -> ToolRunResult[Any, Any]:
    """The non-streaming loop shared by both APIs (see the module docstring)."""
    table = tool_table(tools)
    builder = api.with_tools(builder, table)
    t0 = time.perf_counter()
    executor = ToolExecutor(
        table,
        sequential=not parallel or api.sequential(builder),
        max_workers=max_workers,
        started=t0,
    )
    rounds: List[ToolRound] = []
    try:
        for number in range(1, max_rounds + 1):
            request = builder._compile()
            started = time.perf_counter()
            response = builder.send()
            model_seconds = time.perf_counter() - started
            calls = api.calls(response)
            last = number == max_rounds
            if not calls or last:
                rounds.append(
                    ToolRound(
                        number=number,
                        request=request,
                        response=response,
                        tool_calls=tuple(not_run(calls)),
                        started=started - t0,
                        model_seconds=model_seconds,
                        usage=getattr(response, "usage", None),
                    )
                )
                if not calls:
                    builder = api.extend(builder, response, (), ())
                trace = ToolRunTrace(
                    rounds=tuple(rounds),
                    max_rounds_reached=bool(calls),
                    elapsed=time.perf_counter() - t0,
                )
                return ToolRunResult(final=response, builder=builder, trace=trace)
            if len(calls) == 1 or executor.sequential:
                records = [executor.run(call) for call in calls]
            else:
                futures = [executor.submit(call) for call in calls]
                records = [future.result() for future in futures]
            rounds.append(
                ToolRound(
                    number=number,
                    request=request,
                    response=response,
                    tool_calls=tuple(records),
                    started=started - t0,
                    model_seconds=model_seconds,
                    usage=getattr(response, "usage", None),
                )
            )
            builder = api.next_round(api.extend(builder, response, calls, records))
    finally:
        executor.close()
    raise AssertionError("unreachable")  # pragma: no cover
