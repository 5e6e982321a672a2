"""Chat-completion streams: ``ChatCompletionStream`` and the chunk accumulator behind it.

Accumulation rules (wire rules; compat C10–C13, C18–C27): strings concatenate; tool calls merge
by ``index``, or by ``id`` / position when a server leaves ``index`` out; a new ``id`` on an index
already in use starts a new call; a call without an ``id`` gets a stable synthetic one; a call
that never received ``arguments`` gets ``"{}"``; arguments sent as a JSON object are serialised;
the first non-empty ``name`` wins; provider metadata on a call (for example Gemini's
``thought_signature``) is kept in the call's ``extra`` so it is sent back with the history;
``usage`` comes from whichever chunk carries it, the last one winning; ``finish_reason`` ``""`` or
``"null"`` is ``None``, ``"error"`` raises, and ``"stop"`` after tool calls is reported as
``"tool_calls"``.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from openai_core._convert import from_dict
from openai_core._errors import APIError
from openai_core._sse import Stream
from openai_core.types._mixins import text_of_content
from openai_core.types.chat import ChatCompletion, ChatCompletionChunk, ChoiceDeltaToolCall

__all__ = ["ChatCompletionAccumulator", "ChatCompletionStream"]


class _ToolCallState:
    __slots__ = ("args", "extra", "function_extra", "id", "index", "name", "synthetic_id", "type")

    def __init__(self, index: Optional[int], call_id: Optional[str], synthetic: str) -> None:
        self.index = index
        self.id = call_id or synthetic
        self.synthetic_id = not call_id
        self.type = "function"
        self.name = ""
        self.args: List[str] = []
        self.extra: Dict[str, Any] = {}
        self.function_extra: Dict[str, Any] = {}

    def to_dict(self) -> Dict[str, Any]:
        function: Dict[str, Any] = {"name": self.name, "arguments": "".join(self.args) or "{}"}
        function.update(self.function_extra)
        out: Dict[str, Any] = {"id": self.id, "type": self.type, "function": function}
        out.update(self.extra)
        return out


class _ChoiceState:
    __slots__ = (
        "calls",
        "choice_extra",
        "content",
        "content_seen",
        "extra",
        "finish_reason",
        "index",
        "logprobs",
        "refusal",
        "role",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.role: Optional[str] = None
        self.content: List[str] = []
        self.content_seen = False
        self.refusal: List[str] = []
        self.calls: List[_ToolCallState] = []
        self.finish_reason: Optional[str] = None
        self.logprobs: Optional[Dict[str, Any]] = None
        self.extra: Dict[str, Any] = {}
        self.choice_extra: Dict[str, Any] = {}


def _normalise_finish_reason(value: Any) -> Optional[str]:
    if value is None or value in {"", "null"}:
        return None
    return str(value)


class ChatCompletionAccumulator:
    """Folds ``ChatCompletionChunk`` values into one ``ChatCompletion``.

    Examples:
        >>> acc = ChatCompletionAccumulator()
        >>> for chunk in chunks:
        ...     acc.add(chunk)
        >>> acc.completion().choices[0].message.content
    """

    def __init__(self) -> None:
        self._id: Optional[str] = None
        self._created: Optional[int] = None
        self._model: Optional[str] = None
        self._fingerprint: Optional[str] = None
        self._service_tier: Optional[str] = None
        self._usage: Any = None
        self._choices: Dict[int, _ChoiceState] = {}
        self._extra: Dict[str, Any] = {}
        self._calls_made = 0

    @property
    def usage(self) -> Any:
        """The last non-null ``usage`` seen (compat C13), or ``None``."""
        return self._usage

    def add(self, chunk: ChatCompletionChunk) -> None:
        """Fold one chunk in.

        Raises:
            APIError: a choice finished with ``finish_reason: "error"`` (compat C12, C33).
        """
        if chunk.id:
            self._id = chunk.id
        if chunk.created:
            self._created = chunk.created
        if chunk.model:
            self._model = chunk.model
        if chunk.system_fingerprint:
            self._fingerprint = chunk.system_fingerprint
        if chunk.service_tier:
            self._service_tier = chunk.service_tier
        if chunk.usage is not None:
            self._usage = chunk.usage
        if chunk.extra:
            self._extra.update(chunk.extra)
        for choice in chunk.choices:
            index = choice.index if isinstance(choice.index, int) else 0
            state = self._choices.get(index)
            if state is None:
                state = self._choices[index] = _ChoiceState(index)
            delta = choice.delta
            if delta is not None:
                if delta.role:
                    state.role = delta.role
                if delta.content is not None:
                    state.content_seen = True
                    text = text_of_content(delta.content)
                    if text:
                        state.content.append(text)
                if delta.refusal:
                    state.refusal.append(delta.refusal)
                if delta.tool_calls:
                    lone = len(delta.tool_calls) == 1
                    for position, call in enumerate(delta.tool_calls):
                        self._add_call(state, -1 if lone else position, call)
                for key, value in delta.extra.items():
                    previous = state.extra.get(key)
                    if isinstance(value, str) and isinstance(previous, str):
                        state.extra[key] = previous + value
                    elif isinstance(value, list) and isinstance(previous, list):
                        state.extra[key] = previous + value  # e.g. reasoning_details (C19)
                    elif value is not None:
                        state.extra[key] = value
            for key, value in choice.extra.items():  # stop_reason, native_finish_reason (C12)
                if value is not None:
                    state.choice_extra[key] = value
            logprobs: Any = choice.logprobs
            if logprobs is not None:
                if hasattr(logprobs, "to_dict"):
                    logprobs = logprobs.to_dict()
                state.logprobs = _merge_logprobs(state.logprobs, logprobs)
            reason = _normalise_finish_reason(choice.finish_reason)
            if reason == "error":
                raise APIError(
                    f"The server ended choice {index} with finish_reason 'error'",
                    body=chunk.to_dict(),
                    code="error",
                )
            if reason is not None:
                state.finish_reason = reason

    def _add_call(self, state: _ChoiceState, position: int, call: ChoiceDeltaToolCall) -> None:
        raw_index: Any = call.index  # missing or null on some servers (compat C20)
        index = raw_index if isinstance(raw_index, int) else None
        call_id = call.id or None
        target: Optional[_ToolCallState] = None
        if index is not None:
            for existing in reversed(state.calls):
                if existing.index == index:
                    target = existing
                    break
            if target is not None and call_id and not target.synthetic_id and target.id != call_id:
                target = None  # a new call reusing the index (compat C21)
        elif call_id:
            target = next((c for c in state.calls if c.id == call_id), None)
        elif state.calls:
            # A lone fragment continues the latest call; fragments side by side are distinct.
            target = state.calls[position] if position < len(state.calls) else None
        if target is None:
            self._calls_made += 1
            synthetic = f"call_{self._id or 'stream'}_{state.index}_{self._calls_made}"
            target = _ToolCallState(
                index if index is not None else len(state.calls), call_id, synthetic
            )
            state.calls.append(target)
        elif call_id and target.synthetic_id:
            target.id, target.synthetic_id = call_id, False
        if call.type:
            target.type = call.type
        if call.extra:
            target.extra.update(call.extra)
        function = call.function
        if function is not None:
            if function.name and not target.name:
                target.name = function.name
            arguments: Any = function.arguments
            if isinstance(arguments, str):
                if arguments:
                    target.args.append(arguments)
            elif arguments is not None:  # a JSON object instead of a string (compat C25)
                target.args = [json.dumps(arguments, ensure_ascii=False, separators=(",", ":"))]
            if function.extra:
                target.function_extra.update(function.extra)

    def tool_calls(self, choice: int = 0) -> List[Dict[str, Any]]:
        """The tool calls of one choice assembled so far, as wire dicts (``id``, ``type``,
        ``function`` and any provider metadata); the last one may still be growing."""
        state = self._choices.get(choice)
        return [call.to_dict() for call in state.calls] if state is not None else []

    def completion(self) -> ChatCompletion:
        """The accumulated ``ChatCompletion`` so far."""
        choices = []
        for index in sorted(self._choices):
            state = self._choices[index]
            message: Dict[str, Any] = {
                "role": state.role or "assistant",
                "content": "".join(state.content) if state.content_seen else None,
            }
            if state.refusal:
                message["refusal"] = "".join(state.refusal)
            if state.calls:
                message["tool_calls"] = [call.to_dict() for call in state.calls]
            message.update({k: v for k, v in state.extra.items() if k not in message})
            finish_reason = state.finish_reason
            if state.calls and finish_reason == "stop":
                finish_reason = "tool_calls"
            choice: Dict[str, Any] = {
                "index": index,
                "message": message,
                "finish_reason": finish_reason,
            }
            if state.logprobs is not None:
                choice["logprobs"] = state.logprobs
            choice.update({k: v for k, v in state.choice_extra.items() if k not in choice})
            choices.append(choice)
        data: Dict[str, Any] = {
            **self._extra,
            "id": self._id,
            "object": "chat.completion",
            "created": self._created,
            "model": self._model,
            "choices": choices,
        }
        if self._usage is not None:
            data["usage"] = (
                self._usage.to_dict() if hasattr(self._usage, "to_dict") else self._usage
            )
        if self._fingerprint:
            data["system_fingerprint"] = self._fingerprint
        if self._service_tier:
            data["service_tier"] = self._service_tier
        return from_dict(data, ChatCompletion)


def _merge_logprobs(previous: Optional[Dict[str, Any]], new: Dict[str, Any]) -> Dict[str, Any]:
    if not previous:
        return dict(new)
    merged = dict(previous)
    for key, value in new.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        elif value is not None:
            merged[key] = value
    return merged


class ChatCompletionStream(Stream[ChatCompletionChunk]):
    """A stream of ``ChatCompletionChunk`` that also accumulates the whole completion.

    Examples:
        >>> with client.chat().completions().create().model("m").message_user("hi").stream() as s:
        ...     for chunk in s:
        ...         ...
        ...     completion = s.final_completion()
    """

    _accumulator: ChatCompletionAccumulator

    def _on_item(self, item: ChatCompletionChunk) -> ChatCompletionChunk:
        try:
            accumulator = self._accumulator
        except AttributeError:
            accumulator = self._accumulator = ChatCompletionAccumulator()
        accumulator.add(item)
        return item

    def current_completion(self) -> ChatCompletion:
        """What has been received so far, as a ``ChatCompletion`` (also after an error)."""
        try:
            return self._accumulator.completion()
        except AttributeError:
            return ChatCompletionAccumulator().completion()

    def final_completion(self) -> ChatCompletion:
        """Read the rest of the stream and return the accumulated ``ChatCompletion``.

        Raises:
            APIError and subclasses: as iteration does.
        """
        self.until_done()
        return self.current_completion()

    @property
    def usage(self) -> Any:
        """The last ``usage`` seen so far (compat C13), or ``None``."""
        accumulator = getattr(self, "_accumulator", None)
        return accumulator.usage if accumulator is not None else None
