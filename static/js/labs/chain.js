// A chain lab (templates/courses/labs/_chain.html): every block's data and nonce can be
// changed; each block holds the hash of the block before it, so a change turns that block and
// every later one invalid until they are mined again. The nonces go in the form.
const GENESIS_PREVIOUS = "0".repeat(64);

export function start(kit) {
  const { $, $$, sha256, solves, nonceOf, number, say, announce, verdict, load, save, fill } = kit;
  const msgs = $("#lab-chain-msgs");
  const zeros = Number($("#lab-blocks").dataset.difficulty);
  const summary = $("#lab-chain-summary");
  const blocks = $$(".lab-block").map((li) => {
    const part = (role) => $(`[data-role="${role}"]`, li);
    return {
      li, number: li.dataset.number, badge: part("badge"), tool: $(".lab-block-tool", li),
      data: part("data"), edited: part("edited"), prev: part("prev"), hash: part("hash"),
      line: part("state"), nonce: part("nonce"), progress: part("progress"),
      mine: $('[data-action="mine"]', li), stop: $('[data-action="stop"]', li),
    };
  });
  let now = blocks.map(() => ({ prev: null, hash: null }));
  let valid = null;
  let relinking = 0;

  // The chain as it stands: each block's previous hash, hash and validity, from the first on.
  async function relink(quietly) {
    const mine = ++relinking;
    const next = [];
    let previous = GENESIS_PREVIOUS;
    for (const block of blocks) {
      const nonce = nonceOf(block.nonce.value);
      const digest = previous === null || nonce === null
        ? null : await sha256(block.number + previous + block.data.value + nonce);
      next.push({ prev: previous, hash: digest, nonce });
      previous = digest;
    }
    if (mine !== relinking) { return; }
    now = next;
    const before = valid;
    valid = blocks.map((block, i) => {
      const { prev, hash, nonce } = now[i];
      const ok = hash !== null && solves(hash, zeros);
      block.prev.textContent = prev === null ? "—" : prev;
      block.hash.textContent = hash === null ? "—" : hash;
      block.li.classList.toggle("is-valid", ok);
      block.li.classList.toggle("is-invalid", !ok);
      block.badge.className = ok ? "badge ok" : "badge bad";
      block.badge.textContent = say(msgs, ok ? "valid" : "invalid");
      verdict(block.line, false, ok ? "" : say(msgs, nonce === null ? "notNumber" : "problem"));
      block.edited.hidden = block.data.value === block.data.defaultValue;
      return ok;
    });
    const count = valid.filter(Boolean).length;
    verdict(summary, count === blocks.length, say(msgs, "summary", { valid: number(count), total: number(blocks.length) }));
    if (!quietly && before && before.some((ok, i) => ok !== valid[i])) { announce(summary.textContent); }
  }

  // The learner's nonces into the form, and kept for this tab.
  function keep() {
    const nonces = blocks.map((block) => block.nonce.value);
    blocks.forEach((block, i) => { if (nonceOf(nonces[i]) !== null) { fill(`lab-nonce-${block.number}`, nonceOf(nonces[i])); } });
    save({ nonces });
  }

  async function mineBlock(block, index) {
    await relink(true);
    const previous = now[index].prev;
    if (previous === null) { return; }
    block.nonce.readOnly = true;
    const result = await kit.mineWithButtons({
      msgs, mineButton: block.mine, stopButton: block.stop, line: block.progress,
      text: block.number + previous + block.data.value, zeros, start: 0,
    });
    block.nonce.readOnly = false;
    block.nonce.value = result.nonce;
    keep();
    await relink(true);
    const values = { number: block.number, nonce: result.nonce, tries: number(result.tries) };
    const filled = document.getElementById("lab-answer") ? say(msgs, "filled") : "";
    announce(say(msgs, result.stopped ? "stopped" : "blockFound", values), summary.textContent, filled);
  }

  blocks.forEach((block, index) => {
    block.mine.addEventListener("click", () => mineBlock(block, index));
    block.nonce.addEventListener("input", () => { keep(); relink(false); });
    block.data.addEventListener("input", () => relink(false));
    $('[data-action="restore"]', block.li).addEventListener("click", () => {
      block.data.value = block.data.defaultValue;
      block.data.focus();
      relink(false);
    });
    $('[data-role="facts"]', block.li).hidden = true;
    block.tool.hidden = false;
  });
  const kept = load().nonces;
  if (kept && kept.length === blocks.length) {
    blocks.forEach((block, i) => { block.nonce.value = kept[i]; });
    keep();
  }
  relink(true);
}
