#!/usr/bin/env python3
"""The officers' console in a real browser: Debian's Chromium, headless, driven over the
DevTools protocol (its pipe, so no package is needed), presenting the auditor's client
certificate from its own NSS database and picking it without a prompt under the
AutoSelectCertificateForUrls policy, as an officer's browser does with a certificate token.

Against a gateway with a known history, it checks that the overview shows that history's
figures, that a chart's bar and the filter form narrow the timeline, that an entry's
inclusion proof is verified in the page and a tampered one (rewritten on its way to the
page) is shown as failing, that a kept checkpoint's consistency proof is checked (and a
forged checkpoint refused), that the full verification runs from its button, that the
export link serves the filtered entries, and that a partner's certificate gets 403.
Screenshots of each page at 1366x768 and 1920x1080 are written to the folder given.

Usage: console_browser_check.py SLUICE_BINARY [SCREENSHOT_FOLDER]
Needs root for the policy file (/etc/chromium/policies/managed), chromium, certutil,
pk12util and openssl."""
import base64
import hashlib
import json
import os
import select
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POLICY = "/etc/chromium/policies/managed/sluice-console-check.json"
SIZES = [(1366, 768), (1920, 1080)]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
    print("ok    " + message)


class Gateway:
    """A development gateway in a folder of its own, started and stopped by process id."""

    def __init__(self, sluice, work):
        self.work = work
        shutil.copytree(os.path.join(ROOT, "Agreements"), os.path.join(work, "Agreements"))
        subprocess.run([sluice, "init"], cwd=work, check=True, stdout=subprocess.DEVNULL)
        self.log = open(os.path.join(work, "serve.log"), "w")
        self.process = subprocess.Popen([sluice, "serve", "--listen", "127.0.0.1:0"], cwd=work, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = None
        for _ in range(150):
            with open(os.path.join(work, "serve.log")) as log:
                for line in log:
                    if line.startswith("listening on "):
                        self.url = line.split()[2]
            if self.url:
                break
            time.sleep(0.2)
        if not self.url:
            raise Failure("the gateway did not start: " + open(os.path.join(work, "serve.log")).read())

    def path(self, *parts):
        return os.path.join(self.work, *parts)

    def agency_files(self, agency):
        return self.path("Certs", "agencies", agency + ".pem"), self.path(".sluice", "keys", "agencies", agency + ".key.pem")

    def call(self, agency, path, body=None, content_type="application/x-ndjson"):
        context = ssl.create_default_context(cafile=self.path("Certs", "dev-ca.pem"))
        context.load_cert_chain(*self.agency_files(agency))
        request = urllib.request.Request(self.url + path, data=body, method="POST" if body is not None else "GET")
        if body is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, context=context) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


class Browser:
    """Chromium headless with its own profile and NSS database (under its own HOME),
    spoken to over --remote-debugging-pipe: NUL-separated JSON on fds 3 and 4."""

    def __init__(self, work, name, gateway, agency):
        self.home = os.path.join(work, "home-" + name)
        nss = os.path.join(self.home, ".pki", "nssdb")
        os.makedirs(nss)
        certificate, key = gateway.agency_files(agency)
        p12 = os.path.join(work, agency + ".p12")
        subprocess.run(["certutil", "-N", "-d", "sql:" + nss, "--empty-password"], check=True)
        subprocess.run(["certutil", "-A", "-d", "sql:" + nss, "-n", "sluice-dev-ca", "-t", "C,,", "-i", gateway.path("Certs", "dev-ca.pem")], check=True)
        subprocess.run(["openssl", "pkcs12", "-export", "-in", certificate, "-inkey", key, "-out", p12, "-passout", "pass:", "-name", agency], check=True)
        subprocess.run(["pk12util", "-i", p12, "-d", "sql:" + nss, "-W", ""], check=True, stdout=subprocess.DEVNULL)
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        command = (
            f"exec chromium --headless=new --no-sandbox --disable-gpu --no-first-run --no-default-browser-check "
            f"--user-data-dir={os.path.join(work, 'profile-' + name)} --remote-debugging-pipe --window-size=1366,768 "
            f"about:blank 3<&{to_browser_read} 4>&{from_browser_write}"
        )
        self.errors = open(os.path.join(work, "chromium-" + name + ".log"), "w")
        self.process = subprocess.Popen(
            ["bash", "-c", command], pass_fds=(to_browser_read, from_browser_write), env={**os.environ, "HOME": self.home},
            stdout=self.errors, stderr=subprocess.STDOUT)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.answers = {}
        self.tamper = None
        target = self.command("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.command("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ["Page.enable", "Runtime.enable", "Network.enable"]:
            self.command(domain, session=self.session)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        return self.next_id

    def receive(self, timeout):
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.from_browser], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise Failure("chromium closed its pipe; see its log")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def pump(self, message):
        """Handles an event: a paused proof response is rewritten when asked to."""
        if message.get("method") == "Fetch.requestPaused" and self.tamper:
            params = message["params"]
            body = self.command("Fetch.getResponseBody", {"requestId": params["requestId"]}, session=self.session)
            raw = base64.b64decode(body["body"]) if body.get("base64Encoded") else body["body"].encode()
            changed = self.tamper(json.loads(raw))
            self.send("Fetch.fulfillRequest", {
                "requestId": params["requestId"], "responseCode": 200,
                "responseHeaders": [{"name": "Content-Type", "value": "application/json"}],
                "body": base64.b64encode(json.dumps(changed).encode()).decode()}, session=self.session)
        else:
            self.events.append(message)

    def command(self, method, params=None, session=None, timeout=30):
        wanted = self.send(method, params, session)
        deadline = time.time() + timeout
        while time.time() < deadline:
            # An answer may have been read while a nested command (a paused response being
            # rewritten) waited for its own.
            message = self.answers.pop(wanted, None) or self.receive(deadline - time.time())
            if message is None:
                break
            if message.get("id") == wanted:
                if "error" in message:
                    raise Failure(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.pump(message)
            elif "id" in message:
                self.answers[message["id"]] = message
        raise Failure(f"no answer to {method}")

    def wait_for(self, predicate, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for event in self.events:
                if predicate(event):
                    self.events.remove(event)
                    return event
            message = self.receive(min(0.5, max(0.01, deadline - time.time())))
            if message is not None and "method" in message:
                self.pump(message)
        return None

    def open(self, url):
        """Navigates and waits for the load; returns the document's HTTP status."""
        self.events.clear()
        self.command("Page.navigate", {"url": url}, session=self.session)
        response = self.wait_for(lambda e: e.get("method") == "Network.responseReceived" and e["params"].get("type") == "Document")
        if not self.wait_for(lambda e: e.get("method") == "Page.loadEventFired"):
            raise Failure("the page did not load: " + url)
        return response["params"]["response"]["status"] if response else None

    def evaluate(self, expression):
        result = self.command("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session=self.session)
        if "exceptionDetails" in result:
            raise Failure("script error: " + json.dumps(result["exceptionDetails"])[:400])
        return result["result"].get("value")

    def until(self, expression, timeout=30):
        """Polls an expression until it is neither null nor 'pending'/'checking'/'running'."""
        deadline = time.time() + timeout
        value = None
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value not in (None, "", "pending", "checking", "running"):
                return value
            message = self.receive(0.2)
            if message is not None and "method" in message:
                self.pump(message)
        return value

    def screenshots(self, folder, name):
        written = []
        for width, height in SIZES:
            self.command("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=self.session)
            self.evaluate("new Promise(r => setTimeout(r, 150))")
            shot = self.command("Page.captureScreenshot", {"format": "png"}, session=self.session)
            path = os.path.join(folder, f"console-{name}-{width}x{height}.png")
            with open(path, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            written.append(path)
        self.command("Emulation.clearDeviceMetricsOverride", session=self.session)
        return written

    def close(self):
        try:
            self.send("Browser.close")
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        self.errors.close()


def merkle_root(leaves):
    """RFC 9162 2.1.1, over leaf hashes."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + merkle_root(leaves[:k]) + merkle_root(leaves[k:])).digest()


def inclusion_path(index, leaves):
    """RFC 9162 2.1.3.1."""
    if len(leaves) <= 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if index < k:
        return inclusion_path(index, leaves[:k]) + [merkle_root(leaves[k:])]
    return inclusion_path(index - k, leaves[k:]) + [merkle_root(leaves[:k])]


def consistency_path(m, leaves, complete=True):
    """RFC 9162 2.1.4.1 (SUBPROOF)."""
    n = len(leaves)
    if m == n:
        return [] if complete else [merkle_root(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return consistency_path(m, leaves[:k], complete) + [merkle_root(leaves[k:])]
    return consistency_path(m - k, leaves[k:], False) + [merkle_root(leaves[:k])]


def proof_vectors(largest):
    """Every inclusion and consistency proof of trees up to `largest` leaves, made here
    from the RFC's definitions with hashlib: the page's checks must accept each, and refuse
    each with one bit changed."""
    leaves = [hashlib.sha256(b"\x00" + f"entry {i}".encode()).digest() for i in range(largest)]
    b64 = lambda hashes: [base64.b64encode(h).decode() for h in hashes]
    inclusions, consistencies = [], []
    for n in range(1, largest + 1):
        root = base64.b64encode(merkle_root(leaves[:n])).decode()
        for i in range(n):
            inclusions.append({"i": i, "n": n, "leaf": base64.b64encode(leaves[i]).decode(), "path": b64(inclusion_path(i, leaves[:n])), "root": root})
        for m in range(1, n + 1):
            consistencies.append({"m": m, "n": n, "old": base64.b64encode(merkle_root(leaves[:m])).decode(), "path": b64(consistency_path(m, leaves[:n])), "root": root})
    return inclusions, consistencies


PROOF_CHECK = """(async (inclusions, consistencies) => {
  const b = (t) => Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
  const flip = (list, k) => list.map((t, j) => { const h = b(t); if (j === k) h[0] ^= 1; return h; });
  const same = (x, y) => x.length === y.length && x.every((v, i) => v === y[i]);
  const p = window.sluiceProofs;
  let accepted = 0, refused = 0, wrong = [];
  for (const v of inclusions) {
    const root = await p.inclusionRoot(BigInt(v.i), BigInt(v.n), b(v.leaf), v.path.map(b));
    if (same(root, b(v.root))) accepted++; else wrong.push(`inclusion ${v.i} of ${v.n}`);
    for (let k = 0; k < v.path.length; k++) {
      const other = await p.inclusionRoot(BigInt(v.i), BigInt(v.n), b(v.leaf), flip(v.path, k)).catch(() => null);
      if (other === null || !same(other, b(v.root))) refused++; else wrong.push(`changed inclusion ${v.i} of ${v.n}`);
    }
  }
  for (const v of consistencies) {
    if (await p.consistent(BigInt(v.m), BigInt(v.n), b(v.old), b(v.root), v.path.map(b))) accepted++; else wrong.push(`consistency ${v.m} to ${v.n}`);
    for (let k = 0; k < v.path.length; k++) {
      if (!(await p.consistent(BigInt(v.m), BigInt(v.n), b(v.old), b(v.root), flip(v.path, k)))) refused++; else wrong.push(`changed consistency ${v.m} to ${v.n}`);
    }
  }
  return { accepted, refused, wrong: wrong.slice(0, 5) };
})"""


def record(n):
    return json.dumps({"case_no": f"A{n}", "name": "欧阳娜娜", "id_number": "11010519491231002X", "phone": "13812345678"}, ensure_ascii=False)


def main():
    sluice = os.path.realpath(sys.argv[1])
    shots = os.path.realpath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(ROOT, ".build", "console-screenshots")
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="sluice-console-")
    gateway = browsers = None
    browsers = []
    try:
        gateway = Gateway(sluice, work)
        # A known history: three packages of 1, 2 and 3 records, two refused bodies, one
        # partner knocking on the audit API; and a checkpoint an officer keeps on the way.
        status, body = gateway.call("district-psb", "/v1/agreements/psb-household-check/packages", record(0).encode() + b"\n")
        check(status == 201, "the first package is accepted")
        receipt = json.loads(body)["receipt"]
        status, body = gateway.call("security-officer", "/v1/audit/checkpoint?sign=true")
        kept = json.loads(body)["note"]
        for n in [2, 3]:
            status, _ = gateway.call("district-psb", "/v1/agreements/psb-household-check/packages", "\n".join(record(i) for i in range(n)).encode() + b"\n")
            check(status == 201, f"a package of {n} records is accepted")
        for _ in range(2):
            status, _ = gateway.call("district-psb", "/v1/agreements/psb-household-check/packages", b"not json\n")
            check(status == 422, "a malformed body is refused")
        status, _ = gateway.call("district-psb", "/v1/audit/entries")
        check(status == 403, "a partner is refused the audit API")
        asked = {"purpose": "刑事案件审查", "case_number": "京检刑诉〔2025〕12号", "officer": "王强",
                 "subjects": [{"id_number": "11010519491231002X", "name": "欧阳娜娜"}]}
        status, _ = gateway.call("district-procuratorate", "/v1/agreements/psb-household-check/requests",
                                 json.dumps(asked, ensure_ascii=False).encode(), "application/json")
        check(status == 201, "the procuratorate asks the bureau for one person's record")

        os.makedirs(os.path.dirname(POLICY), exist_ok=True)
        with open(POLICY + ".tmp", "w") as policy:
            json.dump({"AutoSelectCertificateForUrls": [json.dumps({"pattern": gateway.url, "filter": {}})]}, policy)
        os.replace(POLICY + ".tmp", POLICY)

        officer = Browser(work, "officer", gateway, "security-officer")
        browsers.append(officer)
        url = gateway.url
        check(officer.open(url + "/console/") == 200, "the auditor's browser is let in: the overview answers 200")
        figures = officer.evaluate("Object.fromEntries([...document.querySelectorAll('[data-figure]')].map(e => [e.dataset.figure, Number(e.textContent)]))")
        check(figures.get("packages") == 3, f"the overview counts 3 packages (shows {figures.get('packages')})")
        check(figures.get("records") == 6, f"the overview counts 6 records (shows {figures.get('records')})")
        check(figures.get("refusals") == 3, f"the overview counts 3 refusals: 2 bodies, 1 partner (shows {figures.get('refusals')})")
        check(figures.get("access-denied") == 1, f"the overview counts 1 denied access (shows {figures.get('access-denied')})")
        check(figures.get("unacknowledged") == 3, f"the overview counts 3 packages not yet acknowledged (shows {figures.get('unacknowledged')})")
        check(figures.get("unfetched") == 3, f"the overview counts 3 packages not yet fetched (shows {figures.get('unfetched')})")
        bar = officer.evaluate("(() => { const a = [...document.querySelectorAll('svg a.bar')].find(a => a.dataset.label.startsWith('psb-household-check')); return a && {label: a.dataset.label, value: a.dataset.value, href: a.href.baseVal}; })()")
        check(bar is not None and bar["value"] == "3" and bar["label"] == "psb-household-check (6)", "the chart per agreement has a bar of 3 packages (6 records)")
        check(officer.evaluate("document.querySelectorAll('svg').length") >= 4, "the overview's charts are SVG")
        written = officer.screenshots(shots, "overview")

        check(officer.open(url + bar["href"]) == 200, "the bar is a link to its entries")
        rows = officer.evaluate("[...document.querySelectorAll('tr[data-sequence]')].map(r => r.children[3].textContent)")
        check(rows == ["submit.accepted"] * 3, f"the bar's link shows its 3 submissions and nothing else ({len(rows)} rows)")

        officer.open(url + "/console/entries")
        everything = officer.evaluate("document.querySelectorAll('tr[data-sequence]').length")
        officer.evaluate("document.querySelector('select[name=outcome]').value = 'rejected'")
        officer.evaluate("document.getElementById('filters').requestSubmit()")
        officer.wait_for(lambda e: e.get("method") == "Page.loadEventFired")
        rejected = officer.evaluate("[...document.querySelectorAll('tr[data-sequence]')].map(r => r.children[6].textContent)")
        check(len(rejected) == 2 and set(rejected) == {"rejected"} and everything > len(rejected),
              f"the filter form narrows the timeline: {everything} entries, {len(rejected)} rejected")
        written += officer.screenshots(shots, "entries")
        export = officer.evaluate("fetch(document.querySelector('a.export').href).then(r => r.text())")
        lines = [json.loads(line) for line in export.splitlines()]
        check(len(lines) == 2 and all(line["outcome"] == "rejected" for line in lines), "the export link serves the filtered entries as JSONL")

        check(officer.open(url + "/console/requests") == 200, "the requests page opens")
        case = officer.evaluate("(a => a && a.dataset.case)(document.querySelector('[data-case]'))")
        check(case == asked["case_number"], "it lists the open request with its case number")
        written += officer.screenshots(shots, "requests")
        officer.evaluate("document.querySelector('[data-case]').click()")
        officer.wait_for(lambda e: e.get("method") == "Page.loadEventFired")
        actions = officer.evaluate("[...document.querySelectorAll('tr[data-sequence]')].map(r => r.children[3].textContent)")
        check(actions == ["request.created"], f"the case number leads to the case's trail ({actions})")

        check(officer.open(url + "/console/entries/1") == 200, "an entry's page opens")
        state = officer.until("document.querySelector('[data-proof-state]').dataset.proofState")
        check(state == "verified", "the entry's inclusion proof is verified in the page: " + officer.evaluate("document.querySelector('[data-proof-state]').textContent"))
        written += officer.screenshots(shots, "entry")

        def forged(member):
            def change(proof):
                path = proof[member]
                first = bytearray(base64.b64decode(path[0]))
                first[0] ^= 1
                path[0] = base64.b64encode(bytes(first)).decode()
                return proof
            return change

        officer.tamper = forged("inclusion_proof")
        officer.command("Fetch.enable", {"patterns": [{"urlPattern": "*/v1/audit/proof/inclusion*", "requestStage": "Response"}]}, session=officer.session)
        officer.open(url + "/console/entries/1")
        state = officer.until("document.querySelector('[data-proof-state]').dataset.proofState")
        check(state == "failed", "a tampered inclusion proof is shown as failing: " + officer.evaluate("document.querySelector('[data-proof-state]').textContent"))
        written += officer.screenshots(shots, "entry-tampered")
        officer.command("Fetch.disable", session=officer.session)
        officer.tamper = None

        # An officer who pinned another key (here: the same key material under another log's
        # name, a well-formed key) gets a failure, not the gateway's word.
        published = officer.evaluate("document.getElementById('inclusion').dataset.publishedKeys.split('\\n')[0]")
        material = base64.b64decode(published.split("+", 2)[2])
        name = b"other.example/audit"
        other = "%s+%s+%s" % (name.decode(), hashlib.sha256(name + b"\n" + material).digest()[:4].hex(), base64.b64encode(material).decode())
        officer.evaluate(f"localStorage.setItem('sluice.console.checkpointKey', {json.dumps(other)})")
        officer.open(url + "/console/entries/1")
        state = officer.until("document.querySelector('[data-proof-state]').dataset.proofState")
        check(state == "failed", "with another key pinned, the gateway's proof is not taken: "
              + officer.evaluate("document.querySelector('[data-proof-state]').textContent"))
        officer.evaluate("localStorage.removeItem('sluice.console.checkpointKey')")

        inclusions, consistencies = proof_vectors(33)
        result = officer.evaluate(f"{PROOF_CHECK}({json.dumps(inclusions)}, {json.dumps(consistencies)})")
        check(result["wrong"] == [] and result["accepted"] == len(inclusions) + len(consistencies),
              f"the page's proof checks accept all {result['accepted']} RFC 9162 proofs of trees of 1 to 33 entries made with hashlib, "
              f"and refuse all {result['refused']} with one bit changed {result['wrong']}")

        check(officer.open(url + "/console/integrity") == 200, "the integrity page opens")
        check(officer.until("document.querySelector('[data-checkpoint-state]').dataset.checkpointState") == "verified",
              "the latest checkpoint's signature is verified in the page")
        officer.evaluate(f"document.getElementById('kept-checkpoint').value = {json.dumps(kept)}")
        officer.evaluate("document.getElementById('check-consistency').click()")
        state = officer.until("document.querySelector('[data-consistency-state]').dataset.consistencyState")
        check(state == "verified", "a kept checkpoint's consistency proof is verified in the page: "
              + officer.evaluate("document.querySelector('[data-consistency-state]').textContent"))
        lines = kept.split("\n")
        root = bytearray(base64.b64decode(lines[2]))
        root[0] ^= 1
        lines[2] = base64.b64encode(bytes(root)).decode()
        officer.evaluate(f"document.getElementById('kept-checkpoint').value = {json.dumps(chr(10).join(lines))}")
        officer.evaluate("document.getElementById('check-consistency').click()")
        state = officer.until("(s => s === 'verified' ? 'stale' : s)(document.querySelector('[data-consistency-state]').dataset.consistencyState)")
        check(state == "failed", "a kept checkpoint with another root is refused")
        # A partner's whole receipt: the checkpoint it carries.
        officer.evaluate(f"document.getElementById('kept-checkpoint').value = {json.dumps(receipt)}")
        officer.evaluate("document.getElementById('check-consistency').click()")
        state = officer.until("document.querySelector('[data-consistency-state]').dataset.consistencyState")
        check(state == "verified", "a partner's receipt, pasted whole, has its checkpoint proved: "
              + officer.evaluate("document.querySelector('[data-consistency-state]').textContent"))
        # The kept checkpoint again, its consistency proof changed on the way to the page.
        officer.tamper = forged("consistency_proof")
        officer.command("Fetch.enable", {"patterns": [{"urlPattern": "*/v1/audit/proof/consistency*", "requestStage": "Response"}]}, session=officer.session)
        officer.evaluate(f"document.getElementById('kept-checkpoint').value = {json.dumps(kept)}")
        officer.evaluate("document.getElementById('check-consistency').click()")
        state = officer.until("(s => s === 'verified' ? 'stale' : s)(document.querySelector('[data-consistency-state]').dataset.consistencyState)")
        check(state == "failed", "a tampered consistency proof is shown as failing: "
              + officer.evaluate("document.querySelector('[data-consistency-state]').textContent"))
        officer.command("Fetch.disable", session=officer.session)
        officer.tamper = None
        officer.evaluate("document.getElementById('run-verification').click()")
        run = officer.until("(s => s === 'idle' ? 'pending' : s)(document.getElementById('verification-state').dataset.runState)", timeout=60)
        check(run == "passed", "the full verification runs from its button and passes: "
              + officer.evaluate("document.getElementById('verification-state').textContent"))
        written += officer.screenshots(shots, "integrity")
        officer.open(url + "/console/integrity")
        check(officer.evaluate("document.querySelector('[data-last-verification]').dataset.lastVerification") == "success",
              "the integrity page shows the last verification's result")

        officer.open(url + "/console/?lang=en")
        check(officer.evaluate("document.documentElement.lang") == "en" and officer.evaluate("document.querySelector('h1').textContent") == "Overview",
              "the console is also in English")
        written += officer.screenshots(shots, "overview-en")

        partner = Browser(work, "partner", gateway, "district-psb")
        browsers.append(partner)
        check(partner.open(url + "/console/") == 403, "a partner's certificate gets 403")
        check(partner.evaluate("document.querySelector('[data-problem]').dataset.problem") == "role-required",
              "and a page saying that the console needs the auditor role")
        written += partner.screenshots(shots, "partner-403")

        # The pages name their icon: the browser asks for no path the gateway lacks, which
        # would be audited as a denied access.
        _, body = gateway.call("security-officer", "/v1/audit/export?action=access.denied&actor=security-officer")
        check(body.strip() == b"", "the officer's browser made no request the gateway refused")
        _, body = gateway.call("security-officer", "/v1/audit/export?action=audit.entries_read")
        views = {tuple(json.loads(line)["details"].get("console", [])) for line in body.decode().splitlines()}
        check({("overview",), ("entries",), ("entry",), ("integrity",)} <= views, "every console page that read entries is in the audit trail")
        print("screenshots: " + ", ".join(os.path.relpath(path, ROOT) if path.startswith(ROOT) else path for path in written))
    finally:
        for browser in browsers:
            browser.close()
        if os.path.exists(POLICY):
            os.remove(POLICY)
        if gateway:
            gateway.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        print("FAIL  " + str(failure))
        sys.exit(1)
