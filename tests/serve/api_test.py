"""The what-if explorer's HTTP API (`corestride serve`, docs/explorer.md).

    api_test.py CORESTRIDE WORKDIR

Checks, against a real server on loopback:
- the page is served and loads nothing from elsewhere;
- every bad input gets 400 and names the key; unknown routes and runs get 404;
- a run's JSON, its HDF5 file (the same numbers), its scenario file (which `corestride run`
  accepts, with the same result bitwise) and its report page;
- 50 concurrent requests from a bounded client: each is answered 202 or refused 503, the
  server stays up, every accepted run ends, and its memory comes back to its baseline;
- two runs at once give the results of two runs one at a time;
- kill -9 of the server leaves no file behind once a server starts again.
Exit 0 on success, 1 on a failure.
"""
import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import h5py

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # loopback: no proxy
failures = []


def check(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


class Server:
    def __init__(self, exe, *args):
        self.p = subprocess.Popen([exe, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        line = self.p.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise RuntimeError("no address in %r" % line)
        self.base = "http://127.0.0.1:%s" % m.group(1)

    def req(self, method, path, body=None, timeout=60):
        data = body.encode() if isinstance(body, str) else body
        r = urllib.request.Request(self.base + path, data=data, method=method)
        try:
            with OPENER.open(r, timeout=timeout) as f:
                return f.status, f.read(), f.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            return e.code, e.read(), e.headers.get("Content-Type", "")

    def json(self, method, path, body=None):
        status, data, _ = self.req(method, path, body)
        return status, json.loads(data)

    def wait(self, run_id, timeout=120):
        t0 = time.time()
        while time.time() - t0 < timeout:
            status, j = self.json("GET", "/api/runs/%d" % run_id)
            if status != 200 or j["state"] in ("done", "failed", "cancelled"):
                return j
            time.sleep(0.05)
        return None

    def rss_kb(self):
        for line in open("/proc/%d/status" % self.p.pid):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.p.terminate()
        self.p.wait(timeout=30)


def main():
    exe, work = sys.argv[1:3]
    os.makedirs(work, exist_ok=True)
    s = Server(exe, "--jobs", "1", "--queue", "2", "--keep", "4")
    try:
        # The page: self-contained.
        status, page, ctype = s.req("GET", "/")
        text = page.decode()
        check(status == 200 and ctype.startswith("text/html"), "GET / serves the page")
        check(not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text) and "@import" not in text,
              "the page loads nothing from elsewhere")
        status, keys = s.json("GET", "/api/keys")
        names = [k["name"] for k in keys["keys"]]
        check(status == 200 and "weakness.glute_med_r" in names and "model.file" not in names,
              "GET /api/keys lists the settable keys, no file keys")

        # Bad input: 400 naming the key.
        bad = [({"weakness.glute_med": 1.5}, "weakness.glute_med"),
               ({"running.speed": "fast"}, "running.speed"),
               ({"run.epochs": 0}, "run.epochs"),
               ({"run.duration_min": -5}, "run.duration_min"),
               ({"control.mode": "wild"}, "control.mode"),
               ({"training.program": "yoga", "training.apply": "yes"}, "training.program"),
               ({"weakness.gluteus": 0.2}, "weakness.gluteus"),
               ({"weakness.group.wings": 0.2}, "wings"),
               ({"model.file": "/etc/passwd"}, "model.file"),
               ({"motion.kinematics": "/tmp/x.mot"}, "motion.kinematics"),
               ({"weakness.deep_core": [0.1]}, "weakness.deep_core"),
               ({"subject.mass": None}, "subject.mass")]
        for body, key in bad:
            status, j = s.json("POST", "/api/runs", json.dumps(body))
            check(status == 400 and key in j.get("error", ""), "POST %s -> 400 naming %s (%s)" % (body, key, j.get("error")))
        status, j = s.json("POST", "/api/runs", "not json")
        check(status == 400 and "JSON" in j["error"], "a body that is not JSON -> 400")
        status, j = s.json("POST", "/api/scenario/parse", "[weakness]\nglute_med = 3\n")
        check(status == 400 and j.get("key") == "weakness.glute_med" and ":2:" in j["error"],
              "a bad scenario file -> 400 naming its line and key")
        status, j = s.json("POST", "/api/scenario/parse", "[model]\nfile = /etc/passwd\n")
        check(status == 400 and j.get("key") == "model.file", "a scenario file naming a file -> 400")
        for method, path in (("GET", "/nope"), ("GET", "/api/runs/999999"), ("DELETE", "/api/runs/999999"),
                             ("GET", "/api/runs/abc"), ("POST", "/api/nothing"), ("GET", "/api/runs/999999/result.h5")):
            status, data, _ = s.req(method, path)
            check(status == 404, "%s %s -> 404" % (method, path))

        # One run: JSON, HDF5 and scenario agree.
        t0 = time.time()
        status, j = s.json("POST", "/api/runs", json.dumps({"weakness.glute_med_r": 0.4}))
        check(status == 202, "POST /api/runs -> 202")
        done = s.wait(j["id"])
        first_numbers = time.time() - t0
        check(done and done["state"] == "done", "the run ends done")
        result = done["result"]
        print("time from the request to the numbers (one stride, strict): %.2f s" % first_numbers)
        status, h5bytes, ctype = s.req("GET", "/api/runs/%d/result.h5" % j["id"])
        path = os.path.join(work, "api.h5")
        with open(path, "wb") as f:
            f.write(h5bytes)
        with h5py.File(path, "r") as f:
            summ = f["runs/baseline/summary"]
            names = [n.decode() if isinstance(n, bytes) else n for n in summ["names"][()]]
            peak = float(summ["values"][()][names.index("L5_S1_peak_compression_N")])
            shares = {n[len("reserve_share_"):-len("_pct")]: float(v) for n, v in zip(names, summ["values"][()])
                      if n.startswith("reserve_share_")}
        check(abs(peak - result["levels"][0]["peak_compression_N"]) < 1e-9,
              "the HDF5 file has the page's L5/S1 peak (%.3f N)" % peak)
        worst = max(shares, key=shares.get) if shares else None
        rs = result.get("reserve_share")
        check(worst is not None and rs is not None and rs["coordinate"] == worst and abs(rs["pct"] - shares[worst]) < 1e-9,
              "the page's largest reserve share is the file's (%s %.1f %%)" % (worst, shares.get(worst, float("nan"))))
        # The muscles stretched past their fmax: the file's per-muscle passive metrics (none at
        # 3.5 m/s without tightness; the tight runner below has the rectus femoris).
        over = {n[len("passive_force_peak_"):-len("_fmax")] for n in names
                if n.startswith("passive_force_peak_") and n != "passive_force_peak_fmax"}
        check(isinstance(result.get("overstretched"), list) and {o["muscle"] for o in result["overstretched"]} == over,
              "the page's overstretched muscles are the file's (%s)" % sorted(over))
        status, jt = s.json("POST", "/api/runs", json.dumps({"tightness.hip_flexors": 1}))
        tight = s.wait(jt["id"])
        names_t = {o["muscle"]: o["fmax"] for o in (tight or {}).get("result", {}).get("overstretched", [])}
        check(tight and tight["state"] == "done" and names_t.get("recfem_r", 0) > 1 and names_t.get("recfem_l", 0) > 1,
              "tight hip flexors at 3.5 m/s: both rectus femoris past fmax (%s)" % names_t)
        status, cfg, _ = s.req("GET", "/api/runs/%d/scenario.cfg" % j["id"])
        cfg_path = os.path.join(work, "api.cfg")
        with open(cfg_path, "wb") as f:
            f.write(cfg)
        r = subprocess.run([exe, "run", cfg_path, "-o", os.path.join(work, "api_rerun.h5"), "--overwrite", "--quiet"],
                           capture_output=True, text=True)
        check(r.returncode == 0, "the run's scenario file reruns with corestride run")
        with h5py.File(os.path.join(work, "api_rerun.h5"), "r") as f:
            summ = f["runs/baseline/summary"]
            names = [n.decode() if isinstance(n, bytes) else n for n in summ["names"][()]]
            again = float(summ["values"][()][names.index("L5_S1_peak_compression_N")])
        check(again == peak, "the rerun gives the same L5/S1 peak bitwise")
        status, report, ctype = s.req("GET", "/api/runs/%d/report.html" % j["id"], timeout=240)
        check(status == 200 and ctype.startswith("text/html") and b"Low-back load while running" in report
              and b"data:image/png;base64" in report, "the run's report page downloads, with its figures")
        status, j2 = s.json("DELETE", "/api/runs/%d" % j["id"])
        check(status == 409, "cancelling a finished run -> 409")

        # 50 concurrent requests from a bounded client (10 connections at a time).
        def burst():
            def one(k):
                return s.json("POST", "/api/runs", json.dumps({"weakness.glute_med": 0.01 * (k % 40)}))
            with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
                answers = list(pool.map(one, range(50)))
            accepted = [j["id"] for st, j in answers if st == 202]
            refused = [st for st, _ in answers if st == 503]
            # 1 worker and 2 waiting places: at most 3 runs at any time; a run takes about 1 s, so
            # all but a few of the 50 are refused.
            check(len(accepted) + len(refused) == 50 and len(accepted) >= 1 and len(refused) >= 25,
                  "50 concurrent requests: %d accepted, %d refused with 503, none otherwise"
                  % (len(accepted), len(refused)))
            ends = [s.wait(i) for i in accepted]
            check(all(e and e["state"] == "done" for e in ends), "every accepted run ends done")
            check(s.req("GET", "/api/keys")[0] == 200, "the server is still up")
        burst()
        time.sleep(0.5)
        baseline = s.rss_kb()
        for _ in range(3):
            burst()
        time.sleep(0.5)
        after = s.rss_kb()
        print("server memory: %.1f MB after the first burst, %.1f MB after three more" % (baseline / 1e3, after / 1e3))
        check(after <= baseline * 1.15 + 15000, "memory comes back to its baseline (within 15 %% + 15 MB)")
    finally:
        s.stop()

    # Two runs at once on two workers (each worker simulates on its own model: a Model cannot be
    # simulated from two threads at once, sweep.h), with the same results as one at a time.
    s = Server(exe, "--jobs", "2")
    try:
        bodies = [{"weakness.glute_med_r": 0.4, "weakness.deep_core": 0.3}, {"run.name": "healthy"}]
        ids = [s.json("POST", "/api/runs", json.dumps(b))[1]["id"] for b in bodies]
        together = [s.wait(i) for i in ids]
        check(all(t and t["state"] == "done" for t in together), "two runs at once both end done")
        alone = []
        for b in bodies:
            alone.append(s.wait(s.json("POST", "/api/runs", json.dumps(b))[1]["id"]))
        check([t["result"]["levels"][0]["peak_compression_N"] for t in together] ==
              [a["result"]["levels"][0]["peak_compression_N"] for a in alone],
              "runs at once give the same loads as runs one at a time")
    finally:
        s.stop()

    # kill -9 during a run: nothing left once a server starts again.
    s = Server(exe)
    pid = s.p.pid
    scratch = "/tmp/corestride-serve-%d" % pid
    check(os.path.isdir(scratch), "the server has its scratch directory")
    s.json("POST", "/api/runs", json.dumps({"control.mode": "compensate"}))
    time.sleep(1.0)
    os.kill(pid, signal.SIGKILL)
    s.p.wait()
    s2 = Server(exe)
    try:
        check(not os.path.exists(scratch), "a server started after kill -9 removed the killed one's files")
    finally:
        s2.stop()
    check(not os.path.exists("/tmp/corestride-serve-%d" % s2.p.pid), "a server stopped normally leaves nothing")

    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
