"""The what-if explorer in a real browser (headless Chromium through Selenium).

    browser_test.py CORESTRIDE WORKDIR

Starts `corestride serve --port 0`, opens the page, sets the right gluteus medius 40 % weaker,
runs, and reads the L5/S1 peak compression the page shows; runs `corestride run` on the same
scenario and checks that the page shows the same value (to the newton it prints). Then starts
a long compensated run and cancels it, loads a scenario file into the controls (the values
appear in the fields) and saves the settings as a scenario file, which `corestride run`
accepts. Screenshots of the page before and after the run are left in WORKDIR. Exit 0 on
success, 1 on a failure, 77 (skipped) when Selenium or chromium-driver is missing.
"""
import os
import re
import shutil
import subprocess
import sys
import time

try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("skipped: python3-selenium is not installed")
    sys.exit(77)

import h5py


def main():
    exe, work = sys.argv[1:3]
    if not shutil.which("chromedriver") and not os.path.exists("/usr/bin/chromedriver"):
        print("skipped: chromium-driver is not installed")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    server = subprocess.Popen([exe, "serve", "--port", "0", "--jobs", "2"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            print("FAIL: no address in the server's first line: %r" % line)
            return 1
        url = "http://127.0.0.1:%s/" % m.group(1)
        opts = webdriver.ChromeOptions()
        for a in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1500,2600", "--no-proxy-server"):
            opts.add_argument(a)
        opts.add_experimental_option("prefs", {"download.default_directory": downloads,
                                               "download.prompt_for_download": False})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        failures = []
        try:
            driver.get(url)
            wait = WebDriverWait(driver, 60)
            # The healthy runner appears on its own.
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "td[data-run='healthy']"))
            driver.save_screenshot(os.path.join(work, "before.png"))

            # 1. A weakness, run, and the number the page shows against `corestride run`.
            field = driver.find_element(By.ID, "weakness.glute_med_r")
            field.clear()
            field.send_keys("40")
            driver.find_element(By.ID, "run").click()
            try:
                wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("Done"))
            except Exception:
                print("FAIL: no result; the page says: %r" % driver.find_element(By.ID, "status").text)
                driver.save_screenshot(os.path.join(work, "stuck.png"))
                raise
            seconds = float(driver.find_element(By.ID, "status").get_attribute("data-seconds"))
            cell = driver.find_element(By.CSS_SELECTOR, "td[data-run='current'][data-measure='Peak compression, L5/S1']")
            shown = float(cell.text.split(" N")[0])
            out = os.path.join(work, "cli.h5")
            subprocess.run([exe, "run", "--weakness.glute_med_r=0.4", "-o", out, "--quiet"], check=True,
                           stdout=subprocess.DEVNULL)
            with h5py.File(out, "r") as f:
                s = f["runs/baseline/summary"]
                names = [n.decode() if isinstance(n, bytes) else n for n in s["names"][()]]
                cli = float(s["values"][()][names.index("L5_S1_peak_compression_N")])
            print("page: %.0f N in %.2f s from pressing Run; corestride run: %.3f N" % (shown, seconds, cli))
            if round(cli) != shown:
                failures.append("page shows %.0f N, corestride run gives %.3f N" % (shown, cli))
            # The weakened abductors fall short in the recorded stride (reserve 47 % of the
            # right hip's peak rotation moment against 18 % healthy): the summary says so.
            summary = driver.find_element(By.ID, "summary").text
            if "reserve" not in summary or "adapts to the muscles" not in summary:
                failures.append("summary does not say the reserves carry the weak muscles' share: %r" % summary)
            time.sleep(0.5)
            driver.save_screenshot(os.path.join(work, "after.png"))

            # 2. Cancel a long run.
            sel = driver.find_element(By.ID, "control.mode")
            sel.find_element(By.CSS_SELECTOR, "option[value='compensate']").click()
            minutes = driver.find_element(By.ID, "run.duration_min")
            minutes.clear()
            minutes.send_keys("30")
            driver.find_element(By.ID, "run").click()
            wait.until(lambda d: d.find_element(By.ID, "cancel").is_enabled())
            time.sleep(0.5)
            driver.find_element(By.ID, "cancel").click()
            wait.until(lambda d: "cancelled" in d.find_element(By.ID, "status").text)
            print("cancel: " + driver.find_element(By.ID, "status").text)

            # 3. A bad value: the message next to the control, nothing run.
            speed = driver.find_element(By.ID, "running.speed")
            speed.clear()
            speed.send_keys("9")
            driver.find_element(By.ID, "run").click()
            wait.until(lambda d: d.find_element(By.ID, "err-running.speed").text != "")
            msg = driver.find_element(By.ID, "err-running.speed").text
            if "running.speed" not in msg or speed.get_attribute("aria-invalid") != "true":
                failures.append("bad speed: message %r next to the field" % msg)

            # 4. Load a scenario file into the controls; save the settings as one.
            cfg = os.path.join(work, "patient.cfg")
            with open(cfg, "w") as f:
                f.write("[weakness]\nglute_med_l = 0.25\ndeep_core = 0.3\n[running]\nspeed = 3.2\n")
            driver.find_element(By.ID, "load").send_keys(cfg)
            wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("Loaded"))
            got = {k: driver.find_element(By.ID, k).get_attribute("value")
                   for k in ("weakness.glute_med_l", "weakness.deep_core", "running.speed", "weakness.glute_med_r")}
            if [float(got[k]) for k in ("weakness.glute_med_l", "weakness.deep_core", "running.speed",
                                        "weakness.glute_med_r")] != [25, 30, 3.2, 0]:
                failures.append("loaded scenario: fields %s" % got)
            driver.find_element(By.ID, "save").click()
            saved = os.path.join(downloads, "whatif.cfg")
            for _ in range(100):
                if os.path.exists(saved):
                    break
                time.sleep(0.1)
            if not os.path.exists(saved):
                failures.append("save: no whatif.cfg downloaded")
            else:
                text = open(saved).read()
                if "glute_med_l = 0.25" not in text or "speed = 3.2" not in text:
                    failures.append("saved scenario lacks the loaded values")
                r = subprocess.run([exe, "run", saved, "--quiet", "-o", os.path.join(work, "saved.h5")],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    failures.append("corestride run of the saved scenario: exit %d %s" % (r.returncode, r.stderr))
        finally:
            driver.quit()
        for f in failures:
            print("FAIL: " + f)
        if not failures:
            print("browser test: all checks passed")
        return 1 if failures else 0
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
