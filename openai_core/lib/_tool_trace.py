"""The values a tool run produces: call records, rounds, the trace, the result and stream events."""

from __future__ import annotations

import json
from typing import Any, Generic, Optional, Tuple, TypeVar, Union

import attrs

from openai_core._request import Request

__all__ = [
    "ModelStreamEvent",
    "RoundFinished",
    "ToolCallFinished",
    "ToolCallRecord",
    "ToolCallStarted",
    "ToolRound",
    "ToolRunEvent",
    "ToolRunResult",
    "ToolRunTrace",
]

R = TypeVar("R")
B = TypeVar("B")


@attrs.frozen(kw_only=True)
class ToolCallRecord:
    """One tool call of a round and what running it gave.

    Attributes:
        call_id: The call's id (``tool_call_id`` / ``call_id`` on the wire).
        name: The function name the model called.
        arguments: The arguments as the model sent them (a JSON string).
        status: ``"ok"``, ``"error"`` (unknown tool, invalid arguments or an exception; the
            error text was sent to the model as the output) or ``"not_run"`` (the run stopped at
            ``max_rounds`` before executing it).
        output: The text sent back to the model (``None`` when not run).
        exception: The exception the handler (or argument validation) raised, or ``None``.
        started: Seconds from the start of the run to the start of the call.
        duration: Seconds the call took.
    """

    call_id: str
    name: str
    arguments: str
    status: str
    output: Optional[str] = None
    exception: Optional[BaseException] = attrs.field(default=None, repr=False, eq=False)
    started: float = 0.0
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the call ran and returned normally."""
        return self.status == "ok"


@attrs.frozen(kw_only=True)
class ToolRound:
    """One model turn of a tool run and the tool calls it asked for.

    Attributes:
        number: The round's number, from 1.
        request: The compiled request sent (no credentials in its headers).
        response: The model's answer: a ``ChatCompletion`` or a ``Response``.
        tool_calls: The calls the model made, in the model's order, with their results.
        started: Seconds from the start of the run to this round's request.
        model_seconds: Seconds the model call took (until the last stream event, if streamed).
        usage: The response's ``usage`` (``None`` when the server sent none).
    """

    number: int
    request: Request = attrs.field(repr=False)
    response: Any = attrs.field(repr=False)
    tool_calls: Tuple[ToolCallRecord, ...] = ()
    started: float = 0.0
    model_seconds: float = 0.0
    usage: Any = None


def _tokens(usage: Any) -> Tuple[Optional[int], Optional[int], Optional[int]]:
    if usage is None:
        return None, None, None
    data = usage.to_dict() if hasattr(usage, "to_dict") else usage
    if not isinstance(data, dict):
        return None, None, None
    prompt = data.get("prompt_tokens", data.get("input_tokens"))
    completion = data.get("completion_tokens", data.get("output_tokens"))
    total = data.get("total_tokens")
    if total is None and isinstance(prompt, int) and isinstance(completion, int):
        total = prompt + completion
    return prompt, completion, total


def _short(text: Optional[str], limit: int = 120) -> str:
    if text is None:
        return "-"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@attrs.frozen(kw_only=True)
class ToolRunTrace:
    """Everything a tool run did, round by round; ``print(trace)`` shows a readable summary.

    Attributes:
        rounds: The rounds, in order.
        max_rounds_reached: The run stopped because ``max_rounds`` model turns had been made and
            the last one still asked for tool calls (those were not run).
        elapsed: Seconds the whole run took.

    Examples:
        >>> result = client.chat().completions().run_tools(builder, [get_weather])
        >>> print(result.trace)
        Tool run: 2 rounds, 1 tool call (0 failed), 0.84 s, 345 tokens
        ...
    """

    rounds: Tuple[ToolRound, ...] = ()
    max_rounds_reached: bool = False
    elapsed: float = 0.0

    @property
    def tool_calls(self) -> Tuple[ToolCallRecord, ...]:
        """Every tool call of every round, in order."""
        return tuple(call for r in self.rounds for call in r.tool_calls)

    @property
    def total_tokens(self) -> Optional[int]:
        """Tokens used over all rounds, or ``None`` when no round reported usage."""
        totals = [_tokens(r.usage)[2] for r in self.rounds]
        known = [t for t in totals if isinstance(t, int)]
        return sum(known) if known else None

    def format(self) -> str:
        """A multi-line, human-readable account of the run."""
        calls = self.tool_calls
        failed = sum(1 for c in calls if c.status == "error")
        tokens = self.total_tokens
        head = (
            f"Tool run: {len(self.rounds)} round{'s' * (len(self.rounds) != 1)}, "
            f"{len(calls)} tool call{'s' * (len(calls) != 1)} ({failed} failed), "
            f"{self.elapsed:.2f} s" + (f", {tokens} tokens" if tokens is not None else "")
        )
        lines = [head + (" — stopped at max_rounds" if self.max_rounds_reached else "")]
        for r in self.rounds:
            prompt, completion, _ = _tokens(r.usage)
            usage = f", tokens {prompt} in / {completion} out" if prompt is not None else ""
            lines.append(
                f"Round {r.number}: {r.request.method} {r.request.url}, "
                f"model {r.model_seconds:.2f} s{usage}"
            )
            for call in r.tool_calls:
                lines.append(
                    f"  {call.name}({_short(call.arguments, 80)}) [{call.call_id}] "
                    f"{call.status} in {call.duration:.3f} s -> {_short(call.output)}"
                )
            if not r.tool_calls:
                lines.append(f"  answer: {_short(_answer_text(r.response))}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


def _answer_text(response: Any) -> Optional[str]:
    text = getattr(response, "output_text", None)
    if isinstance(text, str):
        return text
    choices = getattr(response, "choices", None)
    if choices:
        message = getattr(choices[0], "message", None)
        content = getattr(message, "content", None)
        return content if isinstance(content, str) else json.dumps(content, default=str)
    return None


@attrs.frozen(kw_only=True)
class ToolRunResult(Generic[R, B]):
    """What a tool run ends with.

    Attributes:
        final: The last model response (a ``ChatCompletion`` or a ``Response``): the answer, or,
            when ``max_rounds_reached``, the turn whose tool calls were not run.
        builder: The request builder holding the whole conversation (the original request,
            every tool-call turn, every tool output and the final answer), ready for a follow-up
            (``result.builder.message_user("And tomorrow?")``). When ``max_rounds_reached`` it
            holds the history sent in the last round, without the unanswered turn.
        trace: The :class:`ToolRunTrace`.
    """

    final: R
    builder: B = attrs.field(repr=False)
    trace: ToolRunTrace

    @property
    def max_rounds_reached(self) -> bool:
        """The run stopped at ``max_rounds`` with tool calls left unanswered."""
        return self.trace.max_rounds_reached


@attrs.frozen(kw_only=True)
class ModelStreamEvent:
    """An event of a round's model stream (a ``ChatCompletionChunk`` or a Responses event)."""

    round: int
    event: Any


@attrs.frozen(kw_only=True)
class ToolCallStarted:
    """A tool call's arguments are complete and it was handed to the thread pool (possibly
    while the model's stream continues)."""

    round: int
    call_id: str
    name: str
    arguments: str


@attrs.frozen(kw_only=True)
class ToolCallFinished:
    """A tool call finished (successfully or with its error sent to the model)."""

    round: int
    record: ToolCallRecord


@attrs.frozen(kw_only=True)
class RoundFinished:
    """A round ended: its stream is done and all its tool calls have finished."""

    round: ToolRound


ToolRunEvent = Union[ModelStreamEvent, ToolCallStarted, ToolCallFinished, RoundFinished]
"""The items a streamed tool run yields."""
