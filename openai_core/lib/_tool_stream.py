"""The streamed tool run: ``ToolRunStream`` and the watchers that spot complete calls mid-stream.

A chat tool call is complete when a later call of the same choice has started and its arguments
parse as JSON (so calls interleaved by ``index`` are never started half-sent), or when the choice
finishes; a Responses call is complete on ``response.function_call_arguments.done`` (or, when a
server skips that event, ``response.output_item.done``). Whatever is left starts when the stream
ends.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import (
    Any,
    Dict,
    Generator,
    Generic,
    Hashable,
    Iterator,
    List,
    Mapping,
    Optional,
    Set,
    Tuple,
    TypeVar,
)

import attrs

from openai_core.lib._tool_apis import (
    ChatApi,
    ResponsesApi,
    ToolApi,
    ToolCall,
    ToolExecutor,
    not_run,
)
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
from openai_core.lib.tools import FunctionTool

__all__ = ["ToolRunStream"]

R = TypeVar("R")
B = TypeVar("B")


class _ChatWatcher:
    def __init__(self) -> None:
        from openai_core._chat_stream import ChatCompletionAccumulator

        self._acc = ChatCompletionAccumulator()
        self._started = 0

    def feed(self, chunk: Any) -> List[Tuple[Hashable, ToolCall]]:
        self._acc.add(chunk)
        finished = any(
            (c.index in (0, None)) and c.finish_reason not in (None, "", "null")
            for c in chunk.choices or ()
        )
        calls = self._acc.tool_calls(0)
        ready = len(calls) if finished else len(calls) - 1
        out: List[Tuple[Hashable, ToolCall]] = []
        while self._started < ready:
            raw = calls[self._started]
            arguments = raw.get("function", {}).get("arguments")
            if not finished and (arguments == "{}" or not _is_json_object(arguments)):
                break  # may still be arriving (calls interleaved by index; "{}" = none yet)
            out.append((self._started, ChatApi.call(raw, self._started)))
            self._started += 1
        return out

    @staticmethod
    def key(position: int, call: ToolCall) -> Hashable:
        return position

    @staticmethod
    def final(stream: Any) -> Any:
        return stream.final_completion()


class _ResponsesWatcher:
    def __init__(self) -> None:
        self._items: Dict[str, Dict[str, Any]] = {}
        self._started: Set[str] = set()

    def feed(self, event: Any) -> List[Tuple[Hashable, ToolCall]]:
        kind = getattr(event, "type", None)
        if kind == "response.output_item.added":
            item = _as_dict(getattr(event, "item", None))
            if item.get("type") == "function_call" and item.get("id"):
                self._items[str(item["id"])] = item
            return []
        if kind == "response.function_call_arguments.done":
            item = dict(self._items.get(str(getattr(event, "item_id", "")), {}))
            if getattr(event, "name", None):
                item["name"] = event.name
            item["arguments"] = getattr(event, "arguments", None)
            return self._start(item)
        if kind == "response.output_item.done":
            item = _as_dict(getattr(event, "item", None))
            if item.get("type") == "function_call":
                return self._start(item)
        return []

    def _start(self, item: Dict[str, Any]) -> List[Tuple[Hashable, ToolCall]]:
        call_id = item.get("call_id")
        if not call_id or not item.get("name") or call_id in self._started:
            return []
        self._started.add(call_id)
        item.setdefault("type", "function_call")
        calls = ResponsesApi().calls(_Output([item]))
        return [(call_id, calls[0])]

    @staticmethod
    def key(position: int, call: ToolCall) -> Hashable:
        return call.call_id

    @staticmethod
    def final(stream: Any) -> Any:
        return stream.final_response()


@attrs.frozen
class _Output:
    output: List[Dict[str, Any]]


def _as_dict(item: Any) -> Dict[str, Any]:
    if item is None:
        return {}
    return item.to_dict() if hasattr(item, "to_dict") else dict(item)


def _is_json_object(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


class ToolRunStream(Generic[R, B]):
    """A streamed tool run: an iterator of :data:`ToolRunEvent` that owns its model streams.

    Events: :class:`ModelStreamEvent` for every chunk or Responses event of every round,
    :class:`ToolCallStarted` when a call is handed to the pool (mid-stream when its arguments
    are complete), :class:`ToolCallFinished` as calls finish, :class:`RoundFinished` after each
    round. Use it as a context manager (or call :meth:`close`) so an abandoned run closes its
    connection and cancels queued calls.

    Examples:
        >>> with client.responses().stream_tools(builder, [get_weather]) as run:
        ...     for event in run:
        ...         if isinstance(event, ToolCallFinished):
        ...             print(event.record.name, "->", event.record.output)
        ...     print(run.result().trace)
    """

    def __init__(
        self,
        api: ToolApi,
        builder: B,
        tools: Mapping[str, FunctionTool],
        *,
        max_rounds: int,
        parallel: bool,
        max_workers: Optional[int],
    ) -> None:
        self._rounds: List[ToolRound] = []
        self._result: Optional[ToolRunResult[R, B]] = None
        self._t0 = time.perf_counter()
        self._events = self._run(api, builder, tools, max_rounds, parallel, max_workers)

    def __iter__(self) -> Iterator[ToolRunEvent]:
        return self

    def __next__(self) -> ToolRunEvent:
        return next(self._events)

    @property
    def trace(self) -> ToolRunTrace:
        """The trace so far (complete once the run has ended)."""
        if self._result is not None:
            return self._result.trace
        return ToolRunTrace(rounds=tuple(self._rounds), elapsed=time.perf_counter() - self._t0)

    def result(self) -> ToolRunResult[R, B]:
        """Read the rest of the run and return its :class:`ToolRunResult`.

        Raises:
            APIError and subclasses: a model request or stream failed.
            RuntimeError: the run was closed before it ended.
        """
        for _ in self:
            pass
        if self._result is None:
            raise RuntimeError("the tool run was closed before it ended")
        return self._result

    def close(self) -> None:
        """Stop the run: close the current model stream and cancel queued calls. Idempotent."""
        self._events.close()

    def __enter__(self) -> ToolRunStream[R, B]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(
        self,
        api: ToolApi,
        builder: Any,
        tools: Mapping[str, FunctionTool],
        max_rounds: int,
        parallel: bool,
        max_workers: Optional[int],
    ) -> Generator[ToolRunEvent, None, None]:
        builder = api.with_tools(builder, tools)
        executor = ToolExecutor(
            tools,
            sequential=not parallel or api.sequential(builder),
            max_workers=max_workers,
            started=self._t0,
        )
        try:
            for number in range(1, max_rounds + 1):
                last = number == max_rounds
                watcher: Any = _ChatWatcher() if isinstance(api, ChatApi) else _ResponsesWatcher()
                futures: Dict[Hashable, Future[ToolCallRecord]] = {}
                reported: Set[Hashable] = set()
                request = builder._compile(stream=True)
                started = time.perf_counter()
                with builder.stream() as stream:
                    for event in stream:
                        yield ModelStreamEvent(round=number, event=event)
                        for key, call in () if last else watcher.feed(event):
                            futures[key] = executor.submit(call)
                            yield _started_event(number, call)
                        yield from _finished(number, futures, reported, block=False)
                    response = watcher.final(stream)
                model_seconds = time.perf_counter() - started
                calls = api.calls(response)
                keys = [watcher.key(position, call) for position, call in enumerate(calls)]
                if calls and not last:
                    for key, call in zip(keys, calls):
                        if key not in futures:
                            futures[key] = executor.submit(call)
                            yield _started_event(number, call)
                    yield from _finished(number, futures, reported, block=True)
                    records = [
                        attrs.evolve(futures[key].result(), call_id=call.call_id)
                        for key, call in zip(keys, calls)
                    ]
                else:
                    records = not_run(calls)
                done = ToolRound(
                    number=number,
                    request=request,
                    response=response,
                    tool_calls=tuple(records),
                    started=started - self._t0,
                    model_seconds=model_seconds,
                    usage=getattr(response, "usage", None),
                )
                self._rounds.append(done)
                yield RoundFinished(round=done)
                if not calls or last:
                    if not calls:
                        builder = api.extend(builder, response, (), ())
                    trace = ToolRunTrace(
                        rounds=tuple(self._rounds),
                        max_rounds_reached=bool(calls),
                        elapsed=time.perf_counter() - self._t0,
                    )
                    self._result = ToolRunResult(final=response, builder=builder, trace=trace)
                    return
                builder = api.next_round(api.extend(builder, response, calls, records))
        finally:
            executor.close()


def _started_event(number: int, call: ToolCall) -> ToolCallStarted:
    return ToolCallStarted(
        round=number, call_id=call.call_id, name=call.name, arguments=call.arguments
    )


def _finished(
    number: int,
    futures: Dict[Hashable, Future[ToolCallRecord]],
    reported: Set[Hashable],
    *,
    block: bool,
) -> Iterator[ToolRunEvent]:
    """``ToolCallFinished`` for calls done since the last look (waiting for all if ``block``)."""
    while True:
        for key, future in futures.items():
            if key not in reported and future.done():
                reported.add(key)
                yield ToolCallFinished(round=number, record=future.result())
        waiting = [f for k, f in futures.items() if k not in reported]
        if not block or not waiting:
            return
        wait(waiting, return_when=FIRST_COMPLETED)
