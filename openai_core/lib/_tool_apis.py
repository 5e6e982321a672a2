"""What the tool runner needs to know about each API: how tool calls look in a response and how a
round's calls and outputs go back into the request; plus the executor that runs the calls.

Chat Completions: the calls are ``choices[0].message.tool_calls``; the assistant message (with
its calls, provider metadata kept, compat C27, and ``"type": "function"`` always set, C37) and
one ``tool`` message per call are appended to ``messages``. Responses: the calls are the
``function_call`` output items; every output item and one ``function_call_output`` item per call
are appended to ``input`` (the whole history is sent each round, so it works without stored
responses).
"""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Union

import attrs

from openai_core.lib._tool_trace import ToolCallRecord
from openai_core.lib.tools import FunctionTool, ToolArgumentsError, function_tool, tool_output_text

__all__ = ["ChatApi", "ResponsesApi", "ToolApi", "ToolCall", "ToolExecutor", "tool_table"]

logger = logging.getLogger("openai_core")

ToolLike = Union[FunctionTool, Callable[..., Any]]


@attrs.frozen(kw_only=True)
class ToolCall:
    """A call as the model made it; ``wire`` is the item to send back with the history."""

    call_id: str
    name: str
    arguments: str
    wire: Dict[str, Any] = attrs.field(eq=False, repr=False)


def tool_table(tools: Iterable[ToolLike]) -> Dict[str, FunctionTool]:
    """Tools by name; plain functions are wrapped with ``function_tool``.

    Raises:
        ValueError: two tools share a name, or there is no tool.
        TypeError: an item is neither a ``FunctionTool`` nor a callable.
    """
    table: Dict[str, FunctionTool] = {}
    for item in tools:
        if isinstance(item, FunctionTool):
            tool = item
        elif callable(item):
            tool = function_tool(item)
        else:
            raise TypeError(f"a tool is a FunctionTool or a function, got {item!r}")
        if tool.name in table:
            raise ValueError(f"two tools are named {tool.name!r}")
        table[tool.name] = tool
    if not table:
        raise ValueError("run_tools() needs at least one tool")
    return table


def _arguments_text(value: Any) -> str:
    if value is None or value == "":
        return "{}"  # compat C24
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # compat C25


def _forced(choice: Any) -> bool:
    return choice == "required" or (
        isinstance(choice, Mapping) and choice.get("type") == "function"
    )


class ToolApi:
    """The per-API part of the runner (subclassed for Chat Completions and Responses)."""

    def with_tools(self, builder: Any, tools: Mapping[str, FunctionTool]) -> Any:
        """The builder with the tools' definitions added (definitions of other names kept)."""
        kept = [t for t in builder._get("tools", ()) if self._tool_name(t) not in tools]
        return builder.tools([*kept, *(self.definition(t) for t in tools.values())])

    def definition(self, tool: FunctionTool) -> Dict[str, Any]:
        raise NotImplementedError

    def _tool_name(self, definition: Any) -> Any:
        raise NotImplementedError

    def next_round(self, builder: Any) -> Any:
        """A forced ``tool_choice`` applies to the first round only; later rounds send
        ``"auto"``, so a forced call is not repeated until ``max_rounds``."""
        if _forced(builder._get("tool_choice")):
            return builder.tool_choice("auto")
        return builder

    def calls(self, response: Any) -> List[ToolCall]:
        raise NotImplementedError

    def extend(
        self,
        builder: Any,
        response: Any,
        calls: Sequence[ToolCall],
        records: Sequence[ToolCallRecord],
    ) -> Any:
        """The builder with the model's turn and the calls' outputs appended."""
        raise NotImplementedError

    @staticmethod
    def sequential(builder: Any) -> bool:
        """Whether the request asked for one call at a time (``parallel_tool_calls: false``)."""
        return builder._get("parallel_tool_calls") is False


class ChatApi(ToolApi):
    """Chat Completions."""

    def definition(self, tool: FunctionTool) -> Dict[str, Any]:
        return tool.to_chat_param()

    def _tool_name(self, definition: Any) -> Any:
        function = definition.get("function") if isinstance(definition, Mapping) else None
        return function.get("name") if isinstance(function, Mapping) else None

    def _message(self, completion: Any) -> Dict[str, Any]:
        choices = completion.to_dict().get("choices") or []
        message = choices[0].get("message") if choices else None
        return message if isinstance(message, dict) else {}

    def calls(self, response: Any) -> List[ToolCall]:
        raw_calls = self._message(response).get("tool_calls") or ()
        return [self.call(raw, position) for position, raw in enumerate(raw_calls)]

    @staticmethod
    def call(raw: Mapping[str, Any], position: int) -> ToolCall:
        """A call from its wire dict (metadata kept, ``"type": "function"`` ensured)."""
        function = dict(raw.get("function") or {})
        function["arguments"] = _arguments_text(function.get("arguments"))
        wire = {**raw, "type": raw.get("type") or "function", "function": function}
        wire["id"] = call_id = str(raw.get("id") or f"call_{position}")
        return ToolCall(
            call_id=call_id,
            name=str(function.get("name") or ""),
            arguments=function["arguments"],
            wire=wire,
        )

    def extend(
        self,
        builder: Any,
        response: Any,
        calls: Sequence[ToolCall],
        records: Sequence[ToolCallRecord],
    ) -> Any:
        content = self._message(response).get("content")
        messages = list(builder._get("messages", ()))
        last = messages[-1] if messages else None
        if (
            isinstance(last, Mapping)
            and last.get("role") == "assistant"
            and not last.get("tool_calls")
        ):
            messages.pop()  # an assistant prefill: the model's turn continues it
            if not calls and isinstance(content, str) and isinstance(last.get("content"), str):
                content = last["content"] + content
        assistant: Dict[str, Any] = {"role": "assistant", "content": content}
        if calls:
            assistant["tool_calls"] = [call.wire for call in calls]
        messages.append(assistant)
        messages.extend(
            {"role": "tool", "tool_call_id": r.call_id, "content": r.output or ""} for r in records
        )
        return builder.messages(messages)


class ResponsesApi(ToolApi):
    """Responses."""

    def definition(self, tool: FunctionTool) -> Dict[str, Any]:
        return tool.to_responses_param()

    def _tool_name(self, definition: Any) -> Any:
        return definition.get("name") if isinstance(definition, Mapping) else None

    def calls(self, response: Any) -> List[ToolCall]:
        calls = []
        for position, item in enumerate(response.output or ()):
            wire = item.to_dict() if hasattr(item, "to_dict") else dict(item)
            if wire.get("type") != "function_call":
                continue
            wire["arguments"] = _arguments_text(wire.get("arguments"))
            call_id = str(wire.get("call_id") or wire.get("id") or f"call_{position}")
            wire["call_id"] = call_id
            calls.append(
                ToolCall(
                    call_id=call_id,
                    name=str(wire.get("name") or ""),
                    arguments=wire["arguments"],
                    wire=wire,
                )
            )
        return calls

    def extend(
        self,
        builder: Any,
        response: Any,
        calls: Sequence[ToolCall],
        records: Sequence[ToolCallRecord],
    ) -> Any:
        by_id = {call.call_id: call.wire for call in calls}
        items = builder._get("input", ())
        last = items[-1] if isinstance(items, (list, tuple)) and items else None
        if calls and isinstance(last, Mapping) and last.get("role") == "assistant":
            builder = builder.input(items[:-1])  # an assistant prefill: the calls continue it
        for item in response.output or ():
            wire = item.to_dict() if hasattr(item, "to_dict") else dict(item)
            if wire.get("type") == "function_call":
                wire = by_id.get(str(wire.get("call_id") or wire.get("id")), wire)
            builder = builder.input_item(wire)
        for record in records:
            builder = builder.function_call_output(record.call_id, record.output or "")
        return builder


class ToolExecutor:
    """Runs tool calls on a thread pool (one worker when calls must run one at a time) and turns
    every failure into an error text for the model."""

    def __init__(
        self,
        tools: Mapping[str, FunctionTool],
        *,
        sequential: bool,
        max_workers: Optional[int],
        started: float,
    ) -> None:
        self._tools = tools
        self._workers = 1 if sequential else (max_workers or min(32, len(tools) + 4))
        self.sequential = self._workers == 1
        """Whether calls run one at a time."""
        self._pool: Optional[ThreadPoolExecutor] = None
        self._t0 = started

    def submit(self, call: ToolCall) -> Future[ToolCallRecord]:
        """Start ``call`` on the pool; the future never raises for tool errors."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="openai_core-tool")
        return self._pool.submit(self.run, call)

    def run(self, call: ToolCall) -> ToolCallRecord:
        """Run one call now, in this thread."""
        start = time.perf_counter()
        tool = self._tools.get(call.name)
        exception: Optional[BaseException] = None
        if tool is None:
            status = "error"
            output = (
                f"Error: there is no tool named {call.name!r}. "
                f"Available tools: {', '.join(sorted(self._tools))}."
            )
        else:
            try:
                output, status = tool_output_text(tool.invoke(call.arguments)), "ok"
            except ToolArgumentsError as exc:
                exception, status = exc, "error"
                output = f"Error: {exc}. Call {call.name} again with valid arguments."
            except Exception as exc:
                exception, status = exc, "error"
                output = f"Error: {call.name} raised {type(exc).__name__}: {exc}"
        duration = time.perf_counter() - start
        if status != "ok":
            logger.info("tool call %s (%s) failed: %s", call.call_id, call.name, output)
        return ToolCallRecord(
            call_id=call.call_id,
            name=call.name,
            arguments=call.arguments,
            status=status,
            output=output,
            exception=exception,
            started=start - self._t0,
            duration=duration,
        )

    def close(self) -> None:
        """Shut the pool down (running calls finish; queued ones are cancelled)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def not_run(calls: Sequence[ToolCall]) -> List[ToolCallRecord]:
    """Records for calls left unanswered at ``max_rounds``."""
    return [
        ToolCallRecord(call_id=c.call_id, name=c.name, arguments=c.arguments, status="not_run")
        for c in calls
    ]
