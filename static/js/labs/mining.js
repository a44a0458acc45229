// A mining lab (templates/courses/labs/_mining.html): type a nonce and see the hash of the
// data followed by it, or let "Mine" try one nonce after another; the nonce goes in the form.
export function start(kit) {
  const { $, sha256, solves, nonceOf, number, say, announce, verdict, load, save, fill } = kit;
  const tool = $("#lab-miner");
  const data = $("#lab-data").textContent;
  const zeros = Number($("#lab-difficulty").dataset.difficulty);
  const input = $("#lab-try-nonce");
  const hashed = $("#lab-try-input");
  const out = $("#lab-try-hash");
  const line = $("#lab-try-state");
  let checking = 0;
  let solved = false;

  function show(nonce, digest) {
    hashed.textContent = data + nonce;
    out.textContent = digest;
    solved = solves(digest, zeros);
    verdict(line, solved, say(tool, solved ? "ok" : "bad"));
  }

  async function check(keep = true) {
    const mine = ++checking;
    const nonce = nonceOf(input.value);
    if (nonce === null) {
      hashed.textContent = out.textContent = "";
      solved = false;
      verdict(line, false, say(tool, "notNumber"));
      return;
    }
    const digest = await sha256(data + nonce);
    if (mine !== checking) { return; }
    show(nonce, digest);
    if (keep) { fill("lab-nonce", nonce); save({ nonce }); }
  }

  $("#lab-mine").addEventListener("click", async () => {
    const typed = nonceOf(input.value);
    const from = typed === null || BigInt(typed) > Number.MAX_SAFE_INTEGER / 2 ? 0 : Number(typed) + (solved ? 1 : 0);
    input.readOnly = true;
    const result = await kit.mineWithButtons({
      msgs: tool, mineButton: $("#lab-mine"), stopButton: $("#lab-stop"),
      line: $("#lab-mine-progress"), text: data, zeros, start: from,
      step: (nonce, digest) => { input.value = nonce; show(nonce, digest); },
    });
    input.readOnly = false;
    input.value = result.nonce;
    await check();
    if (result.stopped) {
      announce(say(tool, "stopped", { nonce: result.nonce, tries: number(result.tries) }));
    } else {
      const filled = document.getElementById("lab-nonce") ? say(tool, "filled") : "";
      announce(say(tool, "found", { nonce: result.nonce, tries: number(result.tries) }), line.textContent, filled);
    }
  });

  const kept = load().nonce;
  if (kept !== undefined) { input.value = kept; }
  input.addEventListener("input", () => check());
  tool.hidden = false;
  check(kept !== undefined);
}
