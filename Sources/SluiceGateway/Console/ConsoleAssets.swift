/// The console's stylesheet and script, compiled into the gateway so it serves every
/// asset itself (no CDN, no files to install beside the binary). The script is the only
/// code the browser runs: it checks proofs and signatures with Web Crypto.
enum ConsoleAssets {
    static func named(_ name: String) -> (contentType: String, text: String)? {
        switch name {
        case "console.css": return ("text/css; charset=utf-8", stylesheet)
        case "console.js": return ("text/javascript; charset=utf-8", script)
        case "icon.svg": return ("image/svg+xml", icon)
        default: return nil
        }
    }

    /// Named in every page's head, so the browser does not ask for `/favicon.ico`, which
    /// would be an audited request for a path the gateway does not have.
    static let icon = #"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#17324f"/>        <path d="M3 11h10M3 8h7M3 5h4" stroke="#fff" stroke-width="1.6"/></svg>
        """#

    static let stylesheet = #"""
        :root { --ink: #1d2733; --muted: #5b6673; --line: #d5dbe1; --accent: #2f6db5; --good: #1f7a3a; --bad: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #f6f7f9;
          font: 15px/1.5 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; }
        header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; padding: 0.6rem 1.5rem; background: #17324f; color: #fff; }
        header a { color: #dce8f5; text-decoration: none; }
        header nav { display: flex; gap: 1rem; }
        header nav a[aria-current] { color: #fff; border-bottom: 2px solid #fff; }
        header .who { margin-left: auto; color: #b8c7d8; }
        header code { color: #fff; }
        main { max-width: 1600px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
        h1 { font-size: 1.4rem; margin: 0.4rem 0 1rem; }
        h2 { font-size: 1.05rem; margin: 1.2rem 0 0.5rem; }
        form { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin-bottom: 1rem; }
        form label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); }
        input, select, textarea, button { font: inherit; }
        input[type=text] { width: 11rem; }
        textarea { width: 100%; max-width: 60rem; font-family: ui-monospace, monospace; font-size: 0.85rem; }
        button { padding: 0.3rem 0.9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
        button:disabled { opacity: 0.5; cursor: default; }
        .note { color: var(--muted); font-size: 0.85rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.75rem; }
        .card { display: flex; flex-direction: column; padding: 0.8rem 1rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; color: inherit; text-decoration: none; }
        .card:hover { border-color: var(--accent); }
        .card .figure { font-size: 1.8rem; font-weight: 600; }
        .card .label { color: var(--muted); font-size: 0.85rem; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(32rem, 1fr)); gap: 1rem; margin-top: 1rem; }
        .chart { margin: 0; padding: 0.8rem 1rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
        .chart figcaption { font-weight: 600; margin-bottom: 0.4rem; }
        .chart svg { width: 100%; height: auto; font-size: 11px; fill: var(--ink); }
        .chart svg text { fill: var(--ink); }
        .chart a.bar:hover rect[fill="transparent"] { fill: #eef3f9; }
        .legend { display: flex; gap: 1rem; list-style: none; padding: 0; margin: 0 0 0.3rem; font-size: 0.85rem; }
        .legend .swatch { width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: -0.1rem; }
        .empty { color: var(--muted); }
        .problem { color: var(--bad); font-weight: 600; }
        table { border-collapse: collapse; background: #fff; width: 100%; }
        th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; font-size: 0.9rem; }
        .scroll { overflow-x: auto; }
        #verifier-key { width: min(100%, 48rem); font-family: ui-monospace, monospace; font-size: 0.85rem; }
        pre:empty { display: none; }
        table.entries td.id { font-family: ui-monospace, monospace; font-size: 0.8rem; }
        tr.rejected td, tr.denied td, tr.failed td { background: #fdf3f2; }
        table.fields { width: auto; }
        pre { background: #fff; border: 1px solid var(--line); padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: 0.85rem; }
        .state.verified, .verified { color: var(--good); font-weight: 600; }
        .state.failed, .failed, strong.failure { color: var(--bad); font-weight: 600; }
        .paging { display: flex; gap: 1rem; margin-top: 0.8rem; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
        dd { margin: 0; }
        ul.keys { padding-left: 1.2rem; word-break: break-all; }
        @media (max-width: 900px) { .charts { grid-template-columns: 1fr; } header .who { margin-left: 0; } }
        """#

    static let script = #"""
        // The officers' console: proofs and signatures checked in the browser, with Web Crypto,
        // against the checkpoint key the officer trusts. Builds text with textContent only.
        "use strict";
        (() => {
          const chinese = document.documentElement.lang.startsWith("zh");
          const say = (zh, en) => (chinese ? zh : en);
          const pinnedKeyName = "sluice.console.checkpointKey";

          const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
          const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
          const same = (a, b) => a.length === b.length && a.every((value, i) => value === b[i]);
          const joined = (...parts) => {
            const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
            let offset = 0;
            for (const part of parts) {
              out.set(part, offset);
              offset += part.length;
            }
            return out;
          };
          const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
          const leafHash = (bytes) => sha256(joined(Uint8Array.of(0), bytes));
          const nodeHash = (left, right) => sha256(joined(Uint8Array.of(1), left, right));
          const hashes = (list) => {
            if (!Array.isArray(list)) throw new Error(say("证明缺少哈希列表", "the proof has no list of hashes"));
            return list.map((item) => {
              const bytes = fromBase64(String(item));
              if (bytes.length !== 32) throw new Error(say("证明中的哈希长度不是 32 字节", "a hash in the proof is not 32 bytes"));
              return bytes;
            });
          };

          // RFC 9162, 2.1.3.2: the root an inclusion proof leads to.
          async function inclusionRoot(index, size, leaf, path) {
            if (index >= size) throw new Error(say("条目序号超出树的大小", "the entry is beyond the tree"));
            let fn = index;
            let sn = size - 1n;
            let r = leaf;
            for (const p of path) {
              if (sn === 0n) throw new Error(say("证明比树所需的更长", "the proof is longer than the tree allows"));
              if ((fn & 1n) === 1n || fn === sn) {
                r = await nodeHash(p, r);
                while ((fn & 1n) === 0n && fn !== 0n) {
                  fn >>= 1n;
                  sn >>= 1n;
                }
              } else {
                r = await nodeHash(r, p);
              }
              fn >>= 1n;
              sn >>= 1n;
            }
            if (sn !== 0n) throw new Error(say("证明比树所需的更短", "the proof is shorter than the tree needs"));
            return r;
          }

          // RFC 9162, 2.1.4.2: whether a consistency proof links the two roots.
          async function consistent(first, second, firstRoot, secondRoot, proof) {
            if (first > second) return false;
            if (first === second) return proof.length === 0 && same(firstRoot, secondRoot);
            if (first === 0n || proof.length === 0) return false;
            let path = proof;
            if ((first & (first - 1n)) === 0n) path = [firstRoot, ...proof];
            let fn = first - 1n;
            let sn = second - 1n;
            while ((fn & 1n) === 1n) {
              fn >>= 1n;
              sn >>= 1n;
            }
            let fr = path[0];
            let sr = path[0];
            for (const c of path.slice(1)) {
              if (sn === 0n) return false;
              if ((fn & 1n) === 1n || fn === sn) {
                fr = await nodeHash(c, fr);
                sr = await nodeHash(c, sr);
                while ((fn & 1n) === 0n && fn !== 0n) {
                  fn >>= 1n;
                  sn >>= 1n;
                }
              } else {
                sr = await nodeHash(sr, c);
              }
              fn >>= 1n;
              sn >>= 1n;
            }
            return sn === 0n && same(fr, firstRoot) && same(sr, secondRoot);
          }

          // A C2SP signed-note verifier key: name+keyid+base64(0x01 ‖ Ed25519 key).
          async function verifierKey(text) {
            // The name holds no "+"; the base64 key may.
            const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(text.trim());
            const parts = match ? match.slice(1) : [];
            if (parts.length !== 3) {
              throw new Error(say("不是 名称+密钥编号+公钥 形式的验证公钥", "not a verifier key of the form name+keyid+key"));
            }
            const material = fromBase64(parts[2]);
            if (material.length !== 33 || material[0] !== 1) throw new Error(say("验证公钥不是 Ed25519 公钥", "the verifier key is not an Ed25519 key"));
            const name = new TextEncoder().encode(parts[0]);
            const id = (await sha256(joined(name, Uint8Array.of(0x0a), material))).slice(0, 4);
            if (hex(id) !== parts[1]) throw new Error(say("密钥编号与名称和公钥不符", "the key ID does not match the name and key"));
            const key = await crypto.subtle.importKey("raw", material.slice(1), { name: "Ed25519" }, false, ["verify"]);
            return { name: parts[0], id, key, text: text.trim() };
          }

          // Opens a signed checkpoint: a signature by one of the keys, then origin, size and root.
          async function openCheckpoint(note, keys) {
            if (!note.endsWith("\n")) throw new Error(say("签名检查点须以换行结束", "a signed checkpoint ends with a newline"));
            const split = note.lastIndexOf("\n\n");
            if (split < 0) throw new Error(say("签名检查点缺少签名前的空行", "no blank line before the signatures"));
            const text = note.slice(0, split + 1);
            const body = new TextEncoder().encode(text);
            let signer = null;
            for (const line of note.slice(split + 2, -1).split("\n")) {
              const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
              if (!match) throw new Error(say("签名行格式不正确", "a signature line is malformed"));
              const blob = fromBase64(match[2]);
              for (const key of keys) {
                // Signatures by other keys (an SM2 co-signature, a rotated key) are passed over.
                if (match[1] !== key.name || blob.length !== 68 || !same(blob.slice(0, 4), key.id)) continue;
                if (await crypto.subtle.verify({ name: "Ed25519" }, key.key, blob.slice(4), body)) signer = key;
              }
            }
            if (!signer) throw new Error(say("检查点签名无法用该公钥验证", "no signature on the checkpoint verifies with the key"));
            const lines = text.split("\n");
            if (lines.length < 4 || lines[0] !== signer.name || !/^[0-9]+$/.test(lines[1])) {
              throw new Error(say("检查点格式不正确，或不属于该公钥的日志", "the checkpoint is malformed or not of this key's log"));
            }
            const root = fromBase64(lines[2]);
            if (root.length !== 32) throw new Error(say("根哈希不是 32 字节", "the root hash is not 32 bytes"));
            return { origin: lines[0], size: BigInt(lines[1]), root };
          }

          // The keys proofs are checked with: the officer's pinned key, else those the gateway
          // publishes (the current one and those rotated out, one per line).
          async function trustedKeys(published) {
            const pinned = localStorage.getItem(pinnedKeyName);
            const texts = pinned ? [pinned] : published.split("\n").filter((line) => line.trim() !== "");
            return { keys: await Promise.all(texts.map(verifierKey)), pinned: Boolean(pinned) };
          }

          async function fetchJSON(url, options) {
            const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, ...options });
            const body = await response.json().catch(() => null);
            if (!response.ok) {
              const detail = body && typeof body.detail === "string" ? body.detail : "";
              throw new Error(`HTTP ${response.status} ${detail}`.trim());
            }
            if (body === null || typeof body !== "object") throw new Error(say("网关的回答不是 JSON", "the gateway's answer is not JSON"));
            return body;
          }

          function show(element, state, text, detail, detailElement) {
            element.dataset[Object.keys(element.dataset).find((k) => k.endsWith("State")) || "state"] = state;
            element.className = `state ${state}`;
            element.textContent = text;
            if (detailElement) detailElement.textContent = detail || "";
          }

          async function checkInclusion(section) {
            const state = section.querySelector("[data-proof-state]");
            const detail = document.getElementById("inclusion-detail");
            try {
              const index = BigInt(section.dataset.index);
              const bytes = fromBase64(section.dataset.entry);
              const { keys, pinned } = await trustedKeys(section.dataset.publishedKeys);
              const proof = await fetchJSON(`/v1/audit/proof/inclusion?index=${index}`);
              const leaf = await leafHash(bytes);
              if (proof.entry !== new TextDecoder().decode(bytes)) throw new Error(say("证明中的条目与本页显示的字节不同", "the proof's entry differs from the bytes on this page"));
              if (BigInt(proof.leaf_index) !== index) throw new Error(say("证明针对的是另一条目", "the proof is for another entry"));
              const checkpoint = await openCheckpoint(String(proof.checkpoint), keys);
              if (BigInt(proof.tree_size) !== checkpoint.size) throw new Error(say("证明的树大小与检查点不符", "the proof's tree size differs from its checkpoint"));
              const root = await inclusionRoot(index, checkpoint.size, leaf, hashes(proof.inclusion_proof));
              if (!same(root, checkpoint.root)) throw new Error(say("由证明算出的根哈希与签名检查点不符", "the root the proof leads to is not the signed root"));
              show(state, "verified",
                say(`已验证：条目 #${index} 包含在大小为 ${checkpoint.size} 的日志中，其根哈希由日志 ${checkpoint.origin} 的公钥签名`,
                  `Verified: entry #${index} is in the log of ${checkpoint.size} entries whose root is signed by ${checkpoint.origin}`) +
                  (pinned ? say("（已固定的公钥）", " (pinned key)") : say("（网关公布的公钥，未固定）", " (the gateway's published key, not pinned)")),
                `leaf ${hex(leaf)}\nroot ${hex(root)}\n${proof.inclusion_proof.length} hashes`, detail);
            } catch (error) {
              show(state, "failed", say("验证失败：", "Verification failed: ") + error.message, "", detail);
            }
          }

          async function checkLatest(pre, published) {
            const state = document.querySelector("[data-checkpoint-state]");
            try {
              const { keys } = await trustedKeys(published);
              const checkpoint = await openCheckpoint(new TextDecoder().decode(fromBase64(pre.dataset.note)), keys);
              show(state, "verified", say(`签名有效：大小 ${checkpoint.size}，根哈希 `, `Signature valid: size ${checkpoint.size}, root `) + hex(checkpoint.root));
            } catch (error) {
              show(state, "failed", say("签名无效：", "Signature invalid: ") + error.message);
            }
          }

          async function checkKept(published) {
            const state = document.querySelector("[data-consistency-state]");
            const detail = document.getElementById("consistency-detail");
            show(state, "checking", say("验证中…", "Checking…"), "", detail);
            try {
              let note = document.getElementById("kept-checkpoint").value.replace(/\r\n/g, "\n").trim() + "\n";
              // A whole receipt (a compact JWS) gives the checkpoint it carries, which is
              // signed on its own: the receipt's own signature is not needed for this.
              if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/.test(note)) {
                const part = note.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
                const payload = JSON.parse(new TextDecoder().decode(fromBase64(part + "=".repeat((4 - (part.length % 4)) % 4))));
                if (typeof payload.checkpoint !== "string") throw new Error(say("回执中没有检查点", "the receipt carries no checkpoint"));
                note = payload.checkpoint;
              }
              const { keys } = await trustedKeys(published);
              const kept = await openCheckpoint(note, keys);
              const proof = await fetchJSON(`/v1/audit/proof/consistency?from=${kept.size}`);
              const latest = await openCheckpoint(String(proof.checkpoint), keys);
              if (BigInt(proof.old_size) !== kept.size || BigInt(proof.tree_size) !== latest.size) {
                throw new Error(say("证明的大小与检查点不符", "the proof's sizes differ from the checkpoints"));
              }
              const path = hashes(proof.consistency_proof);
              if (!(await consistent(kept.size, latest.size, kept.root, latest.root, path))) {
                throw new Error(say("一致性证明不成立：日志没有延续该检查点", "the consistency proof does not hold: the log does not extend that checkpoint"));
              }
              show(state, "verified",
                say(`已验证：当前大小为 ${latest.size} 的日志延续了留存的大小为 ${kept.size} 的检查点`,
                  `Verified: the log of ${latest.size} entries extends the kept checkpoint of ${kept.size}`),
                `kept   ${hex(kept.root)}\nlatest ${hex(latest.root)}\n${path.length} hashes`, detail);
            } catch (error) {
              show(state, "failed", say("验证失败：", "Verification failed: ") + error.message, "", detail);
            }
          }

          async function pollVerification() {
            const progress = document.getElementById("verification-progress");
            const state = document.getElementById("verification-state");
            const button = document.getElementById("run-verification");
            for (;;) {
              let status;
              try {
                status = await fetchJSON("/v1/audit/verification");
              } catch (error) {
                state.textContent = error.message;
                button.disabled = false;
                return;
              }
              state.dataset.runState = status.state;
              progress.hidden = false;
              progress.max = Math.max(1, Number(status.entries_total));
              progress.value = Number(status.entries_checked);
              if (status.state === "running") {
                state.textContent = say(`已检查 ${status.entries_checked} / ${status.entries_total} 条`, `${status.entries_checked} of ${status.entries_total} entries checked`);
                await new Promise((resolve) => setTimeout(resolve, 500));
                continue;
              }
              button.disabled = false;
              state.className = status.state === "passed" ? "verified" : "failed";
              state.textContent = status.state === "passed"
                ? say(`通过：${status.entries_checked} 条记录、${status.checkpoints_checked} 个检查点均已重新计算`,
                  `Passed: ${status.entries_checked} entries and ${status.checkpoints_checked} checkpoints recomputed`)
                : say(`未通过：${status.findings} 项发现；第一项：`, `Failed: ${status.findings} findings; first: `) + (status.first_finding || "");
              return;
            }
          }

          async function runVerification() {
            const button = document.getElementById("run-verification");
            button.disabled = true;
            try {
              await fetchJSON("/v1/audit/verification", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: "{}" });
            } catch (error) {
              document.getElementById("verification-state").textContent = error.message;
              button.disabled = false;
              return;
            }
            await pollVerification();
          }

          async function setUpIntegrity() {
            const input = document.getElementById("verifier-key");
            const published = [...document.querySelectorAll("#published-keys code")].map((code) => code.textContent).join("\n");
            const pinned = localStorage.getItem(pinnedKeyName);
            const pinState = document.getElementById("pin-state");
            if (pinned) {
              input.value = pinned;
              pinState.textContent = pinned === input.defaultValue
                ? say("已固定，与网关公布的一致", "pinned; the same as the gateway publishes")
                : say("已固定；注意：与网关公布的公钥不同", "pinned; note: not the key the gateway publishes");
            }
            document.getElementById("pin-key").addEventListener("click", async () => {
              try {
                const key = await verifierKey(input.value);
                localStorage.setItem(pinnedKeyName, key.text);
                pinState.textContent = say("已固定", "pinned");
              } catch (error) {
                pinState.textContent = error.message;
              }
            });
            const latest = document.getElementById("latest-checkpoint");
            if (latest) await checkLatest(latest, published);
            document.getElementById("check-consistency").addEventListener("click", () => checkKept(published));
            document.getElementById("run-verification").addEventListener("click", runVerification);
            if (document.getElementById("verification-state").dataset.runState === "running") {
              document.getElementById("run-verification").disabled = true;
              pollVerification();
            }
          }

          // The two proof checks, for the browser test to run against independent vectors.
          Object.defineProperty(window, "sluiceProofs", { value: Object.freeze({ inclusionRoot, consistent, leafHash }) });

          document.addEventListener("DOMContentLoaded", () => {
            const inclusion = document.getElementById("inclusion");
            if (inclusion) checkInclusion(inclusion);
            if (document.getElementById("verifier-key")) setUpIntegrity();
          });
        })();
        """#
}
