"""Polling helpers of video jobs: ``client.videos().poll()`` and ``create_and_poll()``.

A video job is done when its status is ``completed`` or ``failed``. How polling works:
:mod:`openai_core.lib.polling`.

Source: https://platform.openai.com/docs/api-reference/videos/retrieve-video
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, FrozenSet, Optional, Union

from openai_core.lib.polling import (
    ResourceMixin,
    check_builder,
    check_seconds,
    id_of,
    poll_until_terminal,
)

if TYPE_CHECKING:
    from openai_core._generated.resources.videos import (
        VideosCreateBuilder,
        VideosEditsCreateBuilder,
        VideosExtensionsCreateBuilder,
        VideosRemixBuilder,
    )

__all__ = ["VIDEO_TERMINAL_STATUSES", "VideosPollingMixin"]

VIDEO_TERMINAL_STATUSES: FrozenSet[str] = frozenset({"completed", "failed"})
"""Video job statuses that end polling."""


class VideosPollingMixin(ResourceMixin):
    """Polling helpers of ``client.videos()``.

    Examples:
        >>> videos = client.videos()
        >>> video = videos.create_and_poll(videos.create().model("sora-2").prompt("A cat"))
        >>> videos.download_content("video_abc").send().write_to_file("cat.mp4")
    """

    __slots__ = ()

    def poll(
        self,
        video_id: str,
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Retrieve a video job until its status is ``completed`` or ``failed``.

        Args:
            video_id: The video job.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling; default ``None``, no limit.

        Returns:
            The video job in its terminal status (download it with ``download_content``).

        Raises:
            PollingTimeoutError: ``timeout`` passed first (``.last`` is the last job).
            APIStatusError, APIConnectionError: as ``retrieve(...).send()`` raises them.

        Source: https://platform.openai.com/docs/api-reference/videos/retrieve-video
        """
        videos = self._client.videos()
        return poll_until_terminal(
            self._client,
            lambda: videos.retrieve(video_id).send_with_meta(),
            terminal=VIDEO_TERMINAL_STATUSES,
            what=f"video {video_id}",
            poll_interval=poll_interval,
            timeout=timeout,
        )

    def create_and_poll(
        self,
        request: Union[
            VideosCreateBuilder,
            VideosRemixBuilder,
            VideosEditsCreateBuilder,
            VideosExtensionsCreateBuilder,
        ],
        *,
        poll_interval: Optional[float] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Send a configured video-job builder, then poll the job as :meth:`poll` does.

        Args:
            request: ``client.videos().create()``, ``.remix(video_id)``,
                ``.edits().create()`` or ``.extensions().create()`` with its setters applied.
            poll_interval: Seconds between polls; default: the ``openai-poll-after-ms`` header,
                else 1 s.
            timeout: Seconds to keep polling after the job was created; default ``None``.

        Returns:
            The video job in its terminal status.

        Raises:
            TypeError: ``request`` is not one of those builders.
            PollingTimeoutError, APIStatusError, APIConnectionError: as :meth:`poll`.

        Source: https://platform.openai.com/docs/api-reference/videos/create-video
        """
        from openai_core._generated.resources import videos as generated

        check_builder(
            request,
            (
                generated.VideosCreateBuilder,
                generated.VideosRemixBuilder,
                generated.VideosEditsCreateBuilder,
                generated.VideosExtensionsCreateBuilder,
            ),
            "create_and_poll",
            "client.videos().create() (or remix(), edits().create(), extensions().create())",
        )
        check_seconds("poll_interval", poll_interval)
        check_seconds("timeout", timeout)
        sent = request.send_with_meta()
        video_id = id_of(sent.data, "video")
        videos = self._client.videos()
        return poll_until_terminal(
            self._client,
            lambda: videos.retrieve(video_id).send_with_meta(),
            terminal=VIDEO_TERMINAL_STATUSES,
            what=f"video {video_id}",
            first=sent,
            poll_interval=poll_interval,
            timeout=timeout,
        )
