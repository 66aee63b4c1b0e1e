#!/usr/bin/python3
"""Open a CoreStride HTML report in headless Chromium and check that it renders.

    /usr/bin/python3 tests/report/chromium_check.py REPORT.html SCREENSHOT.png

Drives Debian's /usr/bin/chromedriver and /usr/bin/chromium over the W3C WebDriver HTTP
protocol with the standard library only (urllib, json, subprocess). Checks:
  (a) there is at least one <img> and every one is loaded (complete, naturalWidth > 0);
  (b) the browser console has no SEVERE message;
  (c) a screenshot (saved to SCREENSHOT.png) is not blank: its pixels are not all the same
      and more than 1 % of them differ from the page background colour;
  (d) the page references no http:// or https:// resource (src, href, srcset, CSS url()),
      and the browser fetched nothing over the network.
Exit codes: 0 all checks pass, 1 a check failed (the message says which), 77 Chromium or
chromedriver is not installed (a skipped test). The whole check is limited to 60 s; the
browser session and chromedriver are always shut down.
"""
import base64
import io
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
TIME_LIMIT_S = 60
EXIT_FAIL, EXIT_SKIP = 1, 77
CHROME_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--no-first-run", "--window-size=1280,2000"]
MIN_CONTENT_FRACTION = 0.01
IMAGE_WAIT_S = 10
# src=, href=, srcset= or CSS url( followed by an http(s) address.
REMOTE_REFERENCE = re.compile(r"""(?:\b(?:src|href|srcset)\s*=\s*["']?|url\(\s*["']?)\s*"""
                              r"""https?://[^\s"'()<>]*""", re.IGNORECASE)


class CheckFailed(Exception):
    """A check did not pass; the message says why."""


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        left = self.end - time.monotonic()
        if left <= 0:
            raise CheckFailed("time limit of %d s exceeded" % TIME_LIMIT_S)
        return left


# ---------------------------------------------------------------------------------------------
# A minimal W3C WebDriver client


class WebDriver:
    def __init__(self, port, deadline):
        self.base = "http://127.0.0.1:%d" % port
        self.deadline = deadline
        self.session = None

    def call(self, method, path, body=None, timeout=30):
        """One WebDriver command; returns its `value` or raises CheckFailed with the error."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        wait = min(timeout, self.deadline.left())
        try:
            with urllib.request.urlopen(req, timeout=wait) as r:
                return json.loads(r.read().decode() or "{}").get("value")
        except urllib.error.HTTPError as e:
            raise CheckFailed("WebDriver %s %s: HTTP %d: %s"
                              % (method, path, e.code, error_message(e.read()))) from None
        except (socket.timeout, TimeoutError):
            raise CheckFailed("WebDriver %s %s: no answer within %.0f s (the page may hang)"
                              % (method, path, wait)) from None

    def wait_until_up(self):
        while True:
            try:
                if (self.call("GET", "/status", timeout=2) or {}).get("ready"):
                    return
            except (urllib.error.URLError, ConnectionError, CheckFailed):
                pass    # not listening yet; the deadline below ends the wait
            self.deadline.left()
            time.sleep(0.1)

    def start_session(self):
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": CHROME_ARGS},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}}
        self.session = self.call("POST", "/session", caps, timeout=40)["sessionId"]

    def path(self, tail):
        return "/session/%s/%s" % (self.session, tail)

    def navigate(self, url):
        self.call("POST", self.path("url"), {"url": url})

    def execute(self, script, *args):
        return self.call("POST", self.path("execute/sync"), {"script": script, "args": list(args)})

    def screenshot(self):
        return base64.b64decode(self.call("GET", self.path("screenshot")))

    def browser_log(self):
        """Console messages. Chromedriver serves the legacy log command at `se/log` (newer) or
        `log` (older); the first that answers is used."""
        errors = []
        for tail in ("se/log", "log"):
            try:
                return self.call("POST", self.path(tail), {"type": "browser"}) or []
            except CheckFailed as e:
                errors.append(str(e))
        raise CheckFailed("cannot read the browser log: " + "; ".join(errors))

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", "/session/" + self.session, timeout=10)
            except Exception:  # noqa: BLE001 -- best effort; chromedriver is killed next
                pass
            self.session = None


def error_message(raw):
    try:
        value = json.loads(raw.decode()).get("value", {})
        return "%s: %s" % (value.get("error"), value.get("message", "").splitlines()[0])
    except (ValueError, AttributeError, IndexError):
        return raw.decode(errors="replace")[:300]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chromedriver(port):
    """chromedriver in its own process group, so that it and the browser can be ended together."""
    return subprocess.Popen([CHROMEDRIVER, "--port=%d" % port], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def stop_process_group(proc):
    """End chromedriver and its children (the browser) by their process group id."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except ProcessLookupError:
            pass
    else:   # chromedriver is gone; a browser it left behind would still be in the group
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ---------------------------------------------------------------------------------------------
# Checks


def wait_loaded(driver):
    while driver.execute("return document.readyState;") != "complete":
        driver.deadline.left()
        time.sleep(0.1)


IMAGES_JS = """
return Array.from(document.images).map(function (img) {
  return {src: (img.getAttribute('src') || '').slice(0, 40), complete: img.complete,
          width: img.naturalWidth, height: img.naturalHeight};
});
"""


def check_images(driver):
    """(a) at least one <img>, every one complete with naturalWidth > 0. Images still loading
    get up to IMAGE_WAIT_S; a complete image of width 0 is broken at once."""
    waited = time.monotonic() + IMAGE_WAIT_S
    while True:
        images = driver.execute(IMAGES_JS)
        if not images:
            raise CheckFailed("(a) the page has no <img>")
        loading = [i for i in images if not i["complete"]]
        if not loading or time.monotonic() > waited:
            break
        driver.deadline.left()
        time.sleep(0.2)
    bad = [i for i in images if not i["complete"] or i["width"] <= 0]
    if bad:
        raise CheckFailed("(a) %d of %d images are not loaded: %s"
                          % (len(bad), len(images), ", ".join(i["src"] for i in bad)))
    print("ok   (a) %d images, all loaded (%s)"
          % (len(images), ", ".join("%dx%d" % (i["width"], i["height"]) for i in images)))


def check_console(driver):
    """(b) no console message of level SEVERE."""
    entries = driver.browser_log()
    severe = [e for e in entries if e.get("level") == "SEVERE"]
    if severe:
        raise CheckFailed("(b) %d SEVERE console messages, first: %s"
                          % (len(severe), severe[0].get("message", "")[:300]))
    print("ok   (b) no SEVERE console message (%d messages in all)" % len(entries))


BACKGROUND_JS = """
var c = getComputedStyle(document.body).backgroundColor;
if (c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c))
  c = getComputedStyle(document.documentElement).backgroundColor;
return c;
"""


def parse_css_colour(text):
    """'rgb(255, 255, 255)' -> (255, 255, 255); transparent -> white (the canvas default)."""
    numbers = [float(x) for x in re.findall(r"[\d.]+", text)]
    if len(numbers) < 3 or (len(numbers) == 4 and numbers[3] == 0):
        return (255.0, 255.0, 255.0)
    return tuple(numbers[:3])


def check_screenshot(driver, out_path):
    """(c) save the screenshot; it must not be blank."""
    png = driver.screenshot()
    with open(out_path, "wb") as f:
        f.write(png)
    import matplotlib.image    # here: only this check needs it
    import numpy as np
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")[:, :, :3] * 255.0
    background = np.array(parse_css_colour(driver.execute(BACKGROUND_JS)))
    if np.ptp(pixels) == 0:
        raise CheckFailed("(c) the screenshot is blank: every pixel is %s" % pixels[0, 0])
    differs = (np.abs(pixels - background) > 2.0).any(axis=2).mean()
    if differs <= MIN_CONTENT_FRACTION:
        raise CheckFailed("(c) only %.2f %% of the screenshot differs from the background %s"
                          % (100 * differs, tuple(background)))
    print("ok   (c) screenshot %dx%d saved to %s; %.1f %% of its pixels differ from the "
          "background rgb%s" % (pixels.shape[1], pixels.shape[0], out_path, 100 * differs,
                                tuple(int(v) for v in background)))


def check_no_remote_references(html_text, driver):
    """(d) no http(s) reference in the file, and nothing fetched by the browser."""
    hits = [m.group(0) for m in REMOTE_REFERENCE.finditer(html_text)]
    if hits:
        raise CheckFailed("(d) the page references remote resources: %s" % ", ".join(hits[:5]))
    fetched = driver.execute("return performance.getEntriesByType('resource')"
                             ".map(function (e) { return e.name; });")
    remote = [u for u in fetched if not u.startswith(("data:", "file:"))]
    if remote:
        raise CheckFailed("(d) the browser fetched: %s" % ", ".join(remote[:5]))
    print("ok   (d) no http:// or https:// resource reference; nothing fetched over the network")


def run_checks(report, screenshot):
    deadline = Deadline(TIME_LIMIT_S)
    with open(report, encoding="utf-8", errors="replace") as f:
        html_text = f.read()
    port = free_port()
    proc = start_chromedriver(port)
    driver = WebDriver(port, deadline)
    try:
        driver.wait_until_up()
        driver.start_session()
        driver.navigate(pathlib.Path(os.path.abspath(report)).as_uri())
        wait_loaded(driver)
        checks = [lambda: check_images(driver), lambda: check_console(driver),
                  lambda: check_screenshot(driver, screenshot),
                  lambda: check_no_remote_references(html_text, driver)]
        failures = []
        for check in checks:    # every check runs, so that one report shows every problem
            try:
                check()
            except CheckFailed as e:
                print("FAIL %s" % e)
                failures.append(str(e))
    finally:
        driver.quit()
        stop_process_group(proc)
    if failures:
        raise CheckFailed("%d check(s) failed: %s" % (len(failures), "; ".join(failures)))


def main(argv):
    if len(argv) != 2:
        print("usage: chromium_check.py REPORT.html SCREENSHOT.png", file=sys.stderr)
        return 2
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        print("SKIP: %s not installed (apt-get install chromium chromium-driver)"
              % " and ".join(missing))
        return EXIT_SKIP
    if not os.path.isfile(argv[0]):
        print("FAIL: %s: no such file" % argv[0])
        return EXIT_FAIL
    start = time.monotonic()
    try:
        run_checks(argv[0], argv[1])
    except CheckFailed as e:
        print("FAIL: %s: %s" % (argv[0], e))
        return EXIT_FAIL
    except (OSError, urllib.error.URLError, KeyError, TypeError, ValueError) as e:
        print("FAIL: %s: %s: %s" % (argv[0], type(e).__name__, e))
        return EXIT_FAIL
    print("PASS: %s (%.1f s)" % (argv[0], time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
