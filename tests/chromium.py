"""A headless Chromium (Debian's ``chromium``) driven over the DevTools protocol on a pipe, with the standard library
only: a page laid out at the exact window widths a test names, in one browser.

``--window-size`` alone cannot do it: headless Chromium keeps its window at least 500 px wide, so a "390 px"
screenshot is a 500 px layout cut off. The protocol's ``Emulation.setDeviceMetricsOverride`` sets the viewport
itself. The browser reads commands (JSON, each ended by a NUL byte) on its file descriptor 3 and answers on 4
(``--remote-debugging-pipe``). Also used by hand to take the dashboard's screenshots: ``uv run python
tests/chromium.py PAGE.html OUT_PREFIX`` writes ``OUT_PREFIX-<width>.png``.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

#: The names Chromium is installed under (Debian: ``chromium``).
EXECUTABLES = ("chromium", "chromium-browser", "google-chrome")
#: No network, no first-run work, nothing outside the profile folder the test gives.
_FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",  # the viewport is the width asked for, whatever the page's height
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    """The installed Chromium's path, or None."""
    return next((path for name in EXECUTABLES if (path := shutil.which(name))), None)


class ChromiumError(RuntimeError):
    """The browser did not answer as the protocol says (it crashed, timed out or refused a command)."""


class Chromium:
    """One headless browser with one page: ``show`` lays a URL out at a width, ``evaluate`` and ``screenshot``
    read it. Use as a context manager (the browser is stopped at its end)."""

    def __init__(self, executable: str, profile: Path, timeout: float = 60.0) -> None:
        self.timeout = timeout
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        # above 10, so that putting them at 3 and 4 in the child cannot overwrite one with the other
        high_read = fcntl.fcntl(commands_read, fcntl.F_DUPFD_CLOEXEC, 10)
        high_write = fcntl.fcntl(answers_write, fcntl.F_DUPFD_CLOEXEC, 10)

        def at_3_and_4() -> None:
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        try:
            self.process = subprocess.Popen(
                [executable, *_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(3, 4),
                preexec_fn=at_3_and_4,  # before exec: the browser finds the pipes at 3 and 4
            )
        finally:
            for fd in (commands_read, answers_write, high_read, high_write):
                os.close(fd)
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=self.session)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browser (it is given a few seconds to close its profile)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for fd in (self._commands, self._answers):
            with contextlib.suppress(OSError):
                os.close(fd)

    def show(self, url: str, width: int, height: int = 900) -> None:
        """Load ``url`` in a viewport ``width`` × ``height`` CSS pixels (a phone below 768 px: its meta viewport
        counts), and wait for its load event."""
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 768}
        self.call("Emulation.setDeviceMetricsOverride", metrics, session=self.session)
        self._events.clear()
        self.call("Page.navigate", {"url": url}, session=self.session)
        self._wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (a promise is awaited)."""
        params = {"expression": expression, "returnByValue": True, "awaitPromise": True}
        answer = self.call("Runtime.evaluate", params, session=self.session)
        if "exceptionDetails" in answer:
            raise ChromiumError(f"the page's script failed: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def screenshot(self) -> bytes:
        """A PNG of the whole page at the current width (as tall as the page)."""
        height = self.evaluate("document.documentElement.scrollHeight")
        width = self.evaluate("window.innerWidth")
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        params = {"format": "png", "clip": clip, "captureBeyondViewport": True}
        return base64.b64decode(self.call("Page.captureScreenshot", params, session=self.session)["data"])

    def call(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> dict[str, Any]:
        """Send one command and return its result."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            answer = self._receive()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise ChromiumError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            if "method" in answer:
                self._events.append(answer)

    def _wait_for(self, event: str) -> None:
        while not any(message["method"] == event for message in self._events):
            self._events.append(self._receive())

    def _receive(self) -> dict[str, Any]:
        """The next message from the browser (a ChromiumError after ``timeout`` seconds without one)."""
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._answers], [], [], left)[0]:
                raise ChromiumError(f"no answer from the browser in {self.timeout:g} s")
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise ChromiumError(f"the browser stopped (exit code {self.process.poll()})")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        loaded: dict[str, Any] = json.loads(message)
        return loaded


def main(page: str, prefix: str, widths: tuple[int, ...] = (390, 1366, 1920)) -> None:
    """Screenshots of ``page`` at each width, as ``<prefix>-<width>.png``."""
    executable = find_chromium()
    if executable is None:
        sys.exit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile, Chromium(executable, Path(profile)) as browser:
        for width in widths:
            browser.show(Path(page).resolve().as_uri(), width)
            Path(f"{prefix}-{width}.png").write_bytes(browser.screenshot())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
