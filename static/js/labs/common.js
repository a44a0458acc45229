// The lab widgets' shared part, loaded on lab pages only (templates/courses/_lab.html).
// Progressive enhancement: the page and its plain form work without it. It holds what every
// kind needs (SHA-256, mining, numbers in the page's language, the page's own translated
// texts, the live region, the learner's state per course and lab), then loads the module of
// the lab's kind from data-lab-module and calls its start(kit). The URL comes from the page
// because the static files' names carry a hash of their content: a kind's module imports
// nothing, so each file is fetched once, under its hashed name.
const root = document.getElementById("lab-params");
const encoder = new TextEncoder();
// Kyrgyz writes numbers as Russian does (12 345,6); a browser without Kyrgyz data uses that.
const numbers = new Intl.NumberFormat([document.documentElement.lang || "en", "ru"]);
const live = document.getElementById("lab-live");
const storeKey = root && "bilim-lab:" + root.dataset.labStore;
const MINING_BATCH = 64; // hashes asked for at once; the page answers between batches

const $ = (selector, within = document) => within.querySelector(selector);
const $$ = (selector, within = document) => Array.from(within.querySelectorAll(selector));
const hex = (buffer) =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
const encode = (text) => encoder.encode(text);
const sha256 = async (text) => hex(await crypto.subtle.digest("SHA-256", encode(text)));
const solves = (digest, zeros) => digest.startsWith("0".repeat(zeros));
const number = (value) => numbers.format(value);
const pause = () => new Promise((resolve) => setTimeout(resolve));

// A nonce as the server reads it: 1 to 20 digits, leading zeros dropped; null otherwise.
const nonceOf = (text) => (/^\d{1,20}$/.test(text.trim()) ? BigInt(text.trim()).toString() : null);

// The text of the page's message `name` (a [data-m] element inside `box`), {key}s filled in.
function say(box, name, values = {}) {
  const node = box.querySelector(`[data-m="${name}"]`);
  const text = node ? node.textContent.trim() : "";
  return text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
}

// Tell screen readers, once, through the page's aria-live="polite" region.
let announcing;
function announce(...texts) {
  clearTimeout(announcing);
  live.textContent = "";
  announcing = setTimeout(() => { live.textContent = texts.filter(Boolean).join(" "); }, 80);
}

// A verdict shown as text with a sign before it (labs.css), never by colour alone.
function verdict(node, ok, text) {
  node.dataset.state = ok === null ? "" : ok ? "ok" : "bad";
  node.textContent = text;
  node.hidden = !text;
}

// The learner's work on this lab, kept in this tab per course and lab (not per language), so
// that switching language keeps it. Never a private key.
function load() {
  try { return JSON.parse(sessionStorage.getItem(storeKey)) || {}; } catch { return {}; }
}
function save(state) {
  try { sessionStorage.setItem(storeKey, JSON.stringify(state)); } catch { /* storage off */ }
}

// The answer form's fields, when the page has the form (a signed-in learner with attempts).
function fill(id, value) {
  const field = document.getElementById(id);
  if (field) { field.value = value; }
  return Boolean(field);
}
function choose(id) {
  const field = document.getElementById(id);
  if (field) { field.checked = true; }
  return Boolean(field);
}

// Try nonces from `start` until SHA-256(text + nonce) starts with `zeros` zeros, a batch at a
// time, so the page stays responsive; `stopped()` ends the search early.
async function mine(text, zeros, start, { stopped, progress }) {
  const began = performance.now();
  let nonce = start;
  let tries = 0;
  let shown = began;
  const rate = () => tries / Math.max((performance.now() - began) / 1000, 0.001);
  for (;;) {
    const batch = Array.from({ length: MINING_BATCH }, (_, i) => sha256(text + (nonce + i)));
    const hashes = await Promise.all(batch);
    const hit = hashes.findIndex((digest) => solves(digest, zeros));
    if (hit >= 0) {
      tries += hit + 1;
      return { nonce: nonce + hit, hash: hashes[hit], tries, rate: rate() };
    }
    nonce += MINING_BATCH;
    tries += MINING_BATCH;
    if (performance.now() - shown > 150) {
      shown = performance.now();
      progress(nonce - 1, hashes[MINING_BATCH - 1], tries, rate());
      await pause();
    }
    if (stopped()) { return { nonce, tries, rate: rate(), stopped: true }; }
  }
}

// Mining with a Mine and a Stop button and a line that shows the tries and the speed.
async function mineWithButtons({ msgs, mineButton, stopButton, line, text, zeros, start, step }) {
  let halted = false;
  const halt = () => { halted = true; };
  const report = (tries, rate) => {
    line.textContent = say(msgs, "progress", { tries: number(tries), rate: number(Math.round(rate)) });
  };
  stopButton.addEventListener("click", halt);
  mineButton.hidden = true;
  stopButton.hidden = false;
  stopButton.focus();
  line.hidden = false;
  line.textContent = say(msgs, "mining");
  announce(say(msgs, "mining"));
  const result = await mine(text, zeros, start, {
    stopped: () => halted,
    progress: (nonce, digest, tries, rate) => { report(tries, rate); if (step) { step(nonce, digest); } },
  });
  stopButton.removeEventListener("click", halt);
  const hadFocus = document.activeElement === stopButton;
  stopButton.hidden = true;
  mineButton.hidden = false;
  if (hadFocus || document.activeElement === document.body) { mineButton.focus(); }
  report(result.tries, result.rate);
  return result;
}

const kit = {
  $, $$, hex, encode, sha256, solves, number, nonceOf, say, announce, verdict, load, save,
  fill, choose, mine, mineWithButtons,
};

if (root && root.dataset.labModule) {
  if (window.crypto && crypto.subtle && window.TextEncoder) {
    import(root.dataset.labModule).then((kind) => kind.start(kit));
  } else {
    $("#lab-no-tools").hidden = false;
  }
}
