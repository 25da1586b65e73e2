"""Debian's Chromium, headless, driven over the DevTools protocol on a pipe.

No npm package and no network port: Chromium started with
--remote-debugging-pipe reads protocol commands from its file descriptor 3 and
writes replies and events to descriptor 4, each message JSON ended by a NUL
byte (https://chromedevtools.github.io/devtools-protocol/). Enough of it for the
report tests: open a file at a window size, run JavaScript, click, take a
screenshot, and collect every console error, uncaught exception and
Content-Security-Policy violation the page caused.

    with Browser(work_dir) as browser:
        browser.open("file:///.../report.html", width=1280)
        browser.evaluate("document.title")
        browser.screenshot("page.png")
        assert not browser.problems, browser.problems
"""
import base64
import json
import os
import subprocess
import time


class BrowserError(Exception):
    pass


class Browser:
    def __init__(self, work_dir, timeout=60):
        self.timeout = timeout
        self.problems = []  # console errors, exceptions, policy violations: "kind: text"
        self._next_id = 0
        self._buffer = b""
        self._events = []
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def descriptors():  # in the child: the pipe ends at 3 and 4, where Chromium looks
            # Moved out of the way first: either end may itself be descriptor 3 or 4.
            os.dup2(commands_read, 100)
            os.dup2(replies_write, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)

        self._log = open(os.path.join(work_dir, "chromium.log"), "ab")
        self._process = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             "--remote-debugging-pipe", "--user-data-dir=" + os.path.join(work_dir, "chromium-profile"),
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log, close_fds=False, preexec_fn=descriptors)
        os.close(commands_read)
        os.close(replies_write)
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(domain + ".enable")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._process.poll() is None:
            try:
                self._send("Browser.close")
            except BrowserError:
                pass
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        os.close(self._commands)
        os.close(self._replies)
        self._log.close()

    # --- the protocol ---
    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            if time.time() > deadline:
                raise BrowserError("no answer from Chromium in %d s" % self.timeout)
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise BrowserError("Chromium closed the pipe (see chromium.log)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _note(self, event):
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            self.problems.append("exception: %s" % text)
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.problems.append("console.%s: %s" % (params["type"], text))
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            entry = params["entry"]
            self.problems.append("%s %s: %s" % (entry.get("source", "log"), entry["level"], entry["text"]))
        self._events.append(event)

    def _send(self, method, params=None, session=None):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.time() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self._note(reply)

    def send(self, method, params=None):
        return self._send(method, params, self._session)

    def wait_for(self, method):
        deadline = time.time() + self.timeout
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method:
                    del self._events[: i + 1]
                    return event
            self._note(self._read_message(deadline))

    # --- what the tests use ---
    def open(self, url, width=1280, height=900):
        self.resize(width, height)
        self._events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def resize(self, width, height=900):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError("%s: %s" % (expression, result["exceptionDetails"].get("text")))
        return result["result"].get("value")

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def screenshot_element(self, selector, path):
        """A screenshot of one element (its whole box, scrolled or not)."""
        box = self.evaluate("(() => { const r = document.querySelector(%s).getBoundingClientRect();"
                            " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()" % json.dumps(selector))
        clip = {"x": box[0], "y": box[1], "width": max(box[2], 1), "height": max(box[3], 1), "scale": 1}
        data = self.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def set_control(self, element_id, value):
        """Sets an input or select's value and fires the event a person's change would."""
        self.evaluate("(() => { const e = document.getElementById(%s); e.value = %s;"
                      " e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input')); })()"
                      % (json.dumps(element_id), json.dumps(value)))
