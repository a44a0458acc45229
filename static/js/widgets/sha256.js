// The live SHA-256 box of a lesson (a ```widget sha256``` block, courses/content/widgets.py).
// Progressive enhancement: without this file the box shows its starting text and the hash
// computed at import. With it, the learner types and sees the hash change at once. Every
// text comes from the page (data-* attributes, in the lesson's language); nothing is sent
// anywhere: WebCrypto hashes in the browser.

const encoder = new TextEncoder();

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

function differing(a, b) {
  let count = 0;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) count += 1;
  return count;
}

function enhance(box) {
  const input = box.querySelector(".widget-input");
  const hash = box.querySelector(".widget-hash code");
  const text = box.querySelector(".widget-text code");
  const live = box.querySelector(".widget-live");
  const fixed = box.querySelector(".widget-static");
  const note = box.querySelector(".widget-note");
  const differ = box.querySelector(".widget-differ");
  const status = box.querySelector(".widget-status");
  if (!input || !hash || !text || !live || !fixed || !differ || !status) return;
  const original = hash.textContent.trim();
  const show = (changed) => { differ.textContent = fill(box.dataset.differ || "", { changed }); };
  let latest = 0;
  let quiet = 0;

  input.value = text.textContent;
  fixed.hidden = true;
  if (note) note.hidden = true;
  live.hidden = false;
  differ.hidden = false;
  show(0);

  input.addEventListener("input", async () => {
    const mine = ++latest;
    const value = await sha256Hex(input.value);
    if (mine !== latest) return; // a later keystroke's hash is on its way
    const changed = differing(value, original);
    hash.textContent = value;
    show(changed);
    clearTimeout(quiet);
    // Announced once the learner pauses, not on every keystroke.
    quiet = setTimeout(() => {
      status.textContent = fill(box.dataset.announce || "", { changed, start: value.slice(0, 8) });
    }, 700);
  });
}

// crypto.subtle exists only in secure contexts (https, localhost): elsewhere the box stays static.
if (globalThis.crypto && crypto.subtle) {
  document.querySelectorAll('[data-widget="sha256"]').forEach(enhance);
}
