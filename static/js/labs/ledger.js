// A ledger lab (templates/courses/labs/_ledger.html): "Compare the copies" hashes each peer's
// copy (its records, one a line); equal hashes are equal copies, and the copy that most peers
// hold outvotes the others, whose differing records are marked. The learner then chooses.
export function start(kit) {
  const { $, $$, sha256, number, say, announce, verdict, load, save, fill, choose } = kit;
  const msgs = $("#lab-ledger-msgs");
  const summary = $("#lab-compare-summary");
  const peers = $$(".lab-peer").map((card) => ({
    card, index: Number(card.dataset.index), name: $("h3", card).textContent.trim(),
    items: $$("ol > li", card), tool: $(".lab-peer-tool", card),
  }));
  peers.forEach((peer) => { peer.records = peer.items.map((li) => $("code.lab-text", li).textContent); });
  const state = load();

  async function compare(quietly) {
    const hashes = await Promise.all(peers.map((peer) => sha256(peer.records.join("\n"))));
    const groups = new Map();
    hashes.forEach((digest, i) => groups.set(digest, [...(groups.get(digest) || []), i]));
    const largest = [...groups.values()].sort((a, b) => b.length - a.length)[0];
    const majority = largest.length * 2 > peers.length ? largest : null;
    const total = number(peers.length);
    for (const peer of peers) {
      const agrees = majority !== null && majority.includes(peer.index);
      const same = groups.get(hashes[peer.index]).length;
      $('[data-role="hash"]', peer.tool).textContent = hashes[peer.index];
      const vote = $('[data-role="vote"]', peer.tool);
      if (majority === null) { verdict(vote, null, say(msgs, "noMajority")); } else if (agrees) {
        verdict(vote, true, say(msgs, "agrees", { count: number(same), total }));
      } else {
        verdict(vote, false, say(msgs, "outvoted", { count: number(peers.length - same), total }));
      }
      peer.card.classList.toggle("is-outvoted", majority !== null && !agrees);
      peer.items.forEach((li, r) => {
        const differs = majority !== null && !agrees && peer.records[r] !== peers[majority[0]].records[r];
        li.classList.toggle("is-different", differs);
        if (differs && !$(".lab-differs", li)) {
          const badge = document.createElement("span");
          badge.className = "badge bad lab-differs";
          badge.textContent = say(msgs, "differs");
          $("code", li).after(" ", badge);
        }
      });
      const pick = $('[data-action="pick"]', peer.tool);
      if (pick) { pick.hidden = !document.getElementById(`lab-peer-answer-${peer.index}`); }
      peer.tool.hidden = false;
    }
    // With ask: value, offer every copy's value of each record the copies disagree on.
    const disputed = peers[0].records.map((_, r) => new Set(peers.map((peer) => peer.records[r])).size > 1);
    const field = document.getElementById("lab-value");
    for (const peer of peers) {
      peer.items.forEach((li, r) => {
        const use = $('[data-action="value"]', li);
        if (use) { use.hidden = !(field && disputed[r]); }
      });
    }
    verdict(summary, null, say(msgs, "summary", { groups: number(groups.size), total }));
    state.compared = true;
    save(state);
    if (!quietly) { announce(summary.textContent); }
  }

  for (const peer of peers) {
    const pick = $('[data-action="pick"]', peer.tool);
    if (pick) {
      pick.addEventListener("click", () => {
        choose(`lab-peer-answer-${peer.index}`);
        state.peer = peer.index;
        save(state);
        announce(say(msgs, "pickedPeer", { name: peer.name }));
      });
    }
    peer.items.forEach((li, r) => {
      const use = $('[data-action="value"]', li);
      if (use) {
        use.addEventListener("click", () => {
          fill("lab-value", peer.records[r]);
          state.value = peer.records[r];
          save(state);
          announce(say(msgs, "pickedValue"));
        });
      }
    });
  }
  $("#lab-compare-run").addEventListener("click", () => compare(false));
  $("#lab-compare").hidden = false;
  if (state.compared) { compare(true); }
  if (state.peer !== undefined) { choose(`lab-peer-answer-${state.peer}`); }
  if (state.value !== undefined) { fill("lab-value", state.value); }
}
