"""Drive headless Chromium through the DevTools protocol: load pages, run checks, take screenshots.

Used by tests/test_browser.py and callable from benchmarks or by hand::

    python tests/browser.py _build/html/chapters/sigmoid.html /tmp/sigmoid

writes /tmp/sigmoid-light.png and /tmp/sigmoid-dark.png.

The browser has no network but the loopback address: every host name but 127.0.0.1
fails to resolve, and each request for anything else is refused and recorded in
``Page.blocked``, so a page that needs the internet fails its checks.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import websocket

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "devtools"}
THEMES = ("light", "dark")


def find_chromium() -> str | None:
    """The path of a Chromium/Chrome executable ($CHROMIUM first), or None."""
    candidates = [os.environ.get("CHROMIUM", "")] + [shutil.which(n) or "" for n in CHROMIUM_NAMES]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def is_local(url: str) -> bool:
    """True if loading ``url`` does not leave this machine."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in {
        "127.0.0.1",
        "localhost",
        "::1",
    }


class DevToolsError(RuntimeError):
    """A DevTools command failed or the browser did not answer in time."""


class Browser:
    """One headless Chromium process and one DevTools connection to it."""

    def __init__(self, executable: str | None = None, timeout: float = 30.0) -> None:
        executable = executable or find_chromium()
        if executable is None:
            raise FileNotFoundError("no Chromium found (install the Debian package 'chromium')")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--mute-audio",
                "--hide-scrollbars",
                "--allow-file-access-from-files",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = websocket.create_connection(
            self._devtools_url(), timeout=timeout, suppress_origin=True, enable_multithread=True
        )
        self._next_id = 0
        self._handlers: dict[str, list[Callable[[dict, str | None], None]]] = {}
        self._events: list[tuple[str, dict, str | None]] = []

    def _devtools_url(self) -> str:
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DevToolsError(f"Chromium exited at start-up (code {self.process.returncode})")
            lines = port_file.read_text().split() if port_file.exists() else []
            if len(lines) == 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.05)
        raise DevToolsError("Chromium did not open its DevTools port")

    def close(self) -> None:
        """Stop the browser and delete its profile."""
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the protocol -------------------------------------------------------------------------

    def send(self, method: str, session: str | None = None, **params: Any) -> int:
        """Send a command without waiting; return its id."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        return self._next_id

    def call(self, method: str, session: str | None = None, **params: Any) -> dict:
        """Send a command and return its result (events that arrive meanwhile are handled)."""
        command_id = self.send(method, session, **params)
        reply = self._pump(lambda m: m.get("id") == command_id, f"reply to {method}")
        if "error" in reply:
            raise DevToolsError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def on(self, event: str, handler: Callable[[dict, str | None], None]) -> None:
        """Call ``handler(params, session)`` for every ``event`` from now on."""
        self._handlers.setdefault(event, []).append(handler)

    def wait_event(
        self, event: str, session: str | None = None, timeout: float | None = None
    ) -> dict:
        """Wait for the next ``event`` (of ``session``) and return its params."""
        for i, (name, params, sess) in enumerate(self._events):
            if name == event and sess == session:
                del self._events[i]
                return params
        message = self._pump(
            lambda m: m.get("method") == event and m.get("sessionId") == session, event, timeout
        )
        return message["params"]

    def _pump(self, done: Callable[[dict], bool], what: str, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DevToolsError(f"timed out waiting for {what}")
            self.ws.settimeout(left)
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                raise DevToolsError(f"timed out waiting for {what}") from None
            if done(message):
                return message
            if "method" in message:
                name, params, sess = message["method"], message["params"], message.get("sessionId")
                for handler in self._handlers.get(name, []):
                    handler(params, sess)
                self._events.append((name, params, sess))
                del self._events[:-200]  # keep only recent events for wait_event

    def new_page(self, width: int = 1280, height: int = 900) -> Page:
        """Open a new tab with network isolation and error collection switched on."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        return Page(self, target, session, width, height)


class Page:
    """A browser tab: navigate, evaluate JavaScript, type, click, take screenshots."""

    def __init__(
        self, browser: Browser, target: str, session: str, width: int, height: int
    ) -> None:
        self.browser, self.target, self.session = browser, target, session
        self.errors: list[str] = []  # console errors, uncaught exceptions, failed loads
        self.mathjax = ""  # after goto: "typeset", "no math", or why MathJax failed
        self.blocked: list[str] = []  # requests for anything beyond this machine
        self.width, self.height = width, height
        browser.on("Runtime.exceptionThrown", self._on_exception)
        browser.on("Runtime.consoleAPICalled", self._on_console)
        browser.on("Log.entryAdded", self._on_log)
        browser.on("Fetch.requestPaused", self._on_request)
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.call("Fetch.enable", patterns=[{"urlPattern": "*"}])
        self.call("Emulation.setFocusEmulationEnabled", enabled=True)  # focus, keys: as in front
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method: str, **params: Any) -> dict:
        return self.browser.call(method, self.session, **params)

    def _on_exception(self, params: dict, session: str | None) -> None:
        if session == self.session:
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            self.errors.append(f"uncaught exception: {text} ({details.get('url', '')})")

    def _on_console(self, params: dict, session: str | None) -> None:
        if session == self.session and params["type"] in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            self.errors.append(f"console.{params['type']}: {args}")

    def _on_log(self, params: dict, session: str | None) -> None:
        entry = params["entry"]
        if session == self.session and entry["level"] == "error":
            self.errors.append(f"{entry['source']}: {entry['text']} ({entry.get('url', '')})")

    def _on_request(self, params: dict, session: str | None) -> None:
        if session != self.session:
            return
        url = params["request"]["url"]
        if is_local(url):
            self.browser.send("Fetch.continueRequest", session, requestId=params["requestId"])
        else:
            self.blocked.append(url)
            self.browser.send(
                "Fetch.failRequest",
                session,
                requestId=params["requestId"],
                errorReason="InternetDisconnected",
            )

    def goto(self, url: str, theme: str | None = None, timeout: float = 30.0) -> None:
        """Load ``url``; wait for its load event and for MathJax (see ``self.mathjax``).

        ``theme`` ("light"/"dark") is set as the reader's stored choice and system preference
        before the page's own scripts run; None keeps the browser's default (light).
        """
        if theme is not None:
            if theme not in THEMES:
                raise ValueError(f"theme must be one of {THEMES}, not {theme!r}")
            self.call(
                "Emulation.setEmulatedMedia",
                features=[{"name": "prefers-color-scheme", "value": theme}],
            )
            self.call(
                "Page.addScriptToEvaluateOnNewDocument",
                source=f"try {{ localStorage.setItem('mode', '{theme}');"
                f" localStorage.setItem('theme', '{theme}'); }} catch (e) {{}}",
            )
        self.errors.clear()
        self.browser._events.clear()
        reply = self.call("Page.navigate", url=url)
        if reply.get("errorText"):
            raise DevToolsError(f"cannot load {url}: {reply['errorText']}")
        self.browser.wait_event("Page.loadEventFired", self.session, timeout)
        self.mathjax = self.wait_for_mathjax()

    def evaluate(self, expression: str, timeout: float = 30.0) -> Any:
        """The value of a JavaScript expression (promises are awaited, up to ``timeout`` s)."""
        command = self.browser.send(
            "Runtime.evaluate",
            self.session,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        reply = self.browser._pump(lambda m: m.get("id") == command, "a script", timeout)
        result = reply.get("result", {})
        if "error" in reply or "exceptionDetails" in result:
            details = result.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text")
            raise DevToolsError(f"JavaScript error: {text or reply.get('error')}")
        return result["result"].get("value")

    def wait_for_mathjax(self, timeout: float = 15.0) -> str:
        """Wait until MathJax has typeset the page; return "typeset", "no math" or what failed."""
        return self.evaluate(
            f"""new Promise(resolve => {{
                 if (!document.querySelector('script[src*="mathjax"]')) return resolve('no math');
                 const start = Date.now();
                 (function poll() {{
                   const p = window.MathJax && MathJax.startup && MathJax.startup.promise;
                   if (p) return p.then(() => resolve('typeset'), e => resolve('failed: ' + e));
                   if (Date.now() - start > {int(timeout * 1000)}) {{
                     return resolve('MathJax did not start');
                   }}
                   setTimeout(poll, 20);
                 }})();
               }})""",
            timeout + 5,
        )

    def press(self, key: str, code: int) -> None:
        """Press and release a key (e.g. "ArrowRight", 39) on the focused element."""
        for kind in ("rawKeyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code
            )

    def click(self, selector: str) -> None:
        """Click, with the mouse, the middle of the element ``selector`` (scrolled into view)."""
        box = self.evaluate(
            f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
                e.scrollIntoView({{block: 'center'}});
                const r = e.getBoundingClientRect();
                return [r.x + r.width / 2, r.y + r.height / 2]; }})()"""
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box[0],
                y=box[1],
                button="left",
                clickCount=1,
            )

    def screenshot(self, path: str | Path, full_page: bool = True) -> Path:
        """Save a PNG of the page (the whole page, or the viewport) and return its path."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            params["captureBeyondViewport"] = True
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
        data = self.call("Page.captureScreenshot", **params)["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.browser.call("Target.closeTarget", targetId=self.target)


@contextlib.contextmanager
def serve(directory: str | Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 (a free port) in a thread; yield its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def theme_screenshots(
    url: str,
    stem: str | Path,
    width: int = 1280,
    browser: Browser | None = None,
    full_page: bool = True,
) -> dict[str, Path]:
    """Screenshot ``url`` in the light and the dark theme, with no network; return the PNG paths.

    Writes ``<stem>-light.png`` and ``<stem>-dark.png`` (the whole page, or the first screen),
    using ``browser`` or a new one.
    Raises DevToolsError if the page reported errors or tried to reach the internet.
    """
    shots = {}
    with contextlib.nullcontext(browser) if browser else Browser() as browser:
        for theme in THEMES:
            page = browser.new_page(width=width)
            page.goto(url, theme=theme)
            applied = page.evaluate("document.documentElement.dataset.theme")
            if applied != theme:
                raise DevToolsError(f"the page shows the {applied!r} theme, not {theme!r}")
            if page.errors or page.blocked or page.mathjax not in ("typeset", "no math"):
                raise DevToolsError(
                    f"{url}: errors {page.errors}, blocked {page.blocked}, math {page.mathjax}"
                )
            shots[theme] = page.screenshot(f"{stem}-{theme}.png", full_page)
            page.close()
    return shots


def main(argv: list[str]) -> int:
    """python tests/browser.py PAGE.html|URL OUT_STEM: light and dark screenshots of a page."""
    if len(argv) != 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    target = argv[0] if "://" in argv[0] else Path(argv[0]).resolve().as_uri()
    for theme, path in theme_screenshots(target, argv[1]).items():
        print(f"{theme}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
