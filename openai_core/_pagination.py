"""Cursor pagination: ``CursorPage[T]`` and the list builder that produces it.

Source: https://platform.openai.com/docs/api-reference/pagination
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Generic, Iterator, List, Optional, TypeVar

import attrs

from openai_core._builder import RequestBuilder

__all__ = ["CursorPage", "ListBuilder"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class CursorPage(Generic[T]):
    """One page of a list operation.

    Iterating a page yields every item of this page and of every following page, fetching them
    as needed; ``.data`` is this page only.

    Attributes:
        data: The items of this page.
        has_more: Whether the server says more items follow (``None`` for unpaginated lists).
        first_id, last_id: Cursors the server sent, when it sent them.
        object: Usually ``"list"``.

    Examples:
        >>> for completion in client.chat().completions().list().limit(20).send():
        ...     print(completion.id)
    """

    data: List[T]
    has_more: Optional[bool] = None
    first_id: Optional[str] = None
    last_id: Optional[str] = None
    next: Optional[str] = None
    """The opaque cursor of lists paginated with ``after=<next>``."""
    next_page_token: Optional[str] = None
    """The ``next_page`` field: the page token of lists paginated with ``page=`` (usage, costs)."""
    object: Optional[str] = None
    _builder: Optional[ListBuilder[T]] = attrs.field(default=None, repr=False, eq=False)

    def next_cursor(self) -> Optional[str]:
        """The cursor for the next page, or ``None`` when there is none.

        Which cursor depends on the operation: the ``last_id`` field or the last item's ``id``
        (``after=``), the ``next`` field (``after=``), or the ``next_page`` field (``page=``).
        """
        if not self.has_more:
            return None
        style = self._builder._pagination if self._builder is not None else "after_id"
        if style == "next_page":
            return self.next_page_token or None
        if style == "after_next":
            return self.next or None
        if not self.data:
            return None
        if self.last_id:
            return self.last_id
        last = self.data[-1]
        cursor = getattr(last, "id", None)
        if cursor is None and isinstance(last, dict):
            cursor = last.get("id")
        return cursor if isinstance(cursor, str) and cursor else None

    def has_next_page(self) -> bool:
        """True when another page can be fetched."""
        return self._builder is not None and self.next_cursor() is not None

    def next_page(self) -> CursorPage[T]:
        """Fetch the next page.

        Raises:
            StopIteration: there is no next page (check :meth:`has_next_page` first).
            APIError: as ``send()`` does.
        """
        cursor = self.next_cursor()
        if cursor is None or self._builder is None:
            raise StopIteration("no next page")
        param = "page" if self._builder._pagination == "next_page" else "after"
        return self._builder.query(param, cursor).send()

    def iter_pages(self) -> Iterator[CursorPage[T]]:
        """This page, then every following page."""
        page: CursorPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data


@attrs.frozen(kw_only=True)
class ListBuilder(RequestBuilder[CursorPage[T]]):
    """A builder for a list operation; ``send()`` returns a :class:`CursorPage`.

    ``_decode`` decodes one item. ``_pagination`` names the cursor style: ``"after_id"`` (the
    default: ``after=`` the ``last_id`` field or the last item's id), ``"after_last_id"``,
    ``"after_next"`` or ``"next_page"``.
    """

    _pagination: ClassVar[str] = "after_id"

    def after(self, cursor: str) -> ListBuilder[T]:
        """Start after the item with this ID."""
        return self.query("after", cursor)

    def limit(self, count: int) -> ListBuilder[T]:
        """Items per page (the API's range is usually 1–100)."""
        return self.query("limit", count)

    def order(self, order: str) -> ListBuilder[T]:
        """``"asc"`` or ``"desc"`` by creation time."""
        return self.query("order", order)

    def _decoder(self) -> Callable[[Any], CursorPage[T]]:
        decode_item: Callable[[Any], T] = self._decode  # type: ignore[assignment]

        def decode(payload: Any) -> CursorPage[T]:
            if isinstance(payload, list):
                payload = {"data": payload}
            if not isinstance(payload, dict):
                payload = {}
            items = payload.get("data") or []
            has_more = payload.get("has_more")
            return CursorPage(
                data=[decode_item(item) for item in items],
                has_more=has_more if isinstance(has_more, bool) else None,
                first_id=payload.get("first_id"),
                last_id=payload.get("last_id"),
                next=payload.get("next"),
                next_page_token=payload.get("next_page"),
                object=payload.get("object"),
                builder=self,
            )

        return decode
