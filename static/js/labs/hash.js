// A hash lab (templates/courses/labs/_hash.html): hash any text as it is typed, with the
// digits that changed marked, and hash each candidate to compare it with the shown hash;
// "Choose text N" ticks that text in the answer form.
export function start({ $, $$, sha256, number, say, announce, verdict, load, save, choose }) {
  const tool = $("#lab-hasher");
  const target = $("#lab-target-hash").textContent.trim();
  const field = $("#lab-try-text");
  const out = $("#lab-try-hash");
  const changed = $("#lab-try-changed");
  const state = load();
  state.hashed = state.hashed || [];
  let last = null;
  let typing = 0;

  // The hash, its digits that differ from the last one in <mark>.
  function show(digest) {
    const parts = [];
    for (let i = 0; i < digest.length; i++) {
      const differs = last !== null && last[i] !== digest[i];
      const open = parts[parts.length - 1];
      if (open && open.differs === differs) { open.text += digest[i]; } else { parts.push({ differs, text: digest[i] }); }
    }
    out.replaceChildren(...parts.map((part) => {
      if (!part.differs) { return document.createTextNode(part.text); }
      const mark = document.createElement("mark");
      mark.textContent = part.text;
      return mark;
    }));
  }

  async function hashTyped() {
    const mine = ++typing;
    const digest = await sha256(field.value);
    if (mine !== typing) { return; } // a later key press is being hashed
    const count = last === null ? 0 : [...digest].filter((digit, i) => digit !== last[i]).length;
    show(digest);
    changed.textContent = last === null || digest === last ? "" : say(tool, "changed", { changed: number(count) });
    last = digest;
    state.text = field.value;
    save(state);
  }

  async function hashCandidate(box, quietly) {
    const index = Number(box.dataset.index);
    const text = box.closest("li").querySelector("code.lab-text").textContent;
    const digest = await sha256(text);
    const same = digest === target;
    $('[data-role="hash"]', box).textContent = digest;
    const line = $('[data-role="state"]', box);
    verdict(line, same, say(tool, same ? "match" : "differs"));
    $('[data-role="out"]', box).hidden = false;
    $('[data-action="pick"]', box).hidden = !document.getElementById(`lab-text-${index}`);
    if (!state.hashed.includes(index)) { state.hashed.push(index); save(state); }
    if (!quietly) { announce(say(tool, "result", { number: index + 1, state: line.textContent })); }
  }

  for (const box of $$(".lab-candidate-tool")) {
    const index = Number(box.dataset.index);
    $('[data-action="hash"]', box).addEventListener("click", () => hashCandidate(box, false));
    $('[data-action="pick"]', box).addEventListener("click", () => {
      choose(`lab-text-${index}`);
      state.picked = index;
      save(state);
      announce(say(tool, "picked", { number: index + 1 }));
    });
    box.hidden = false;
    if (state.hashed.includes(index)) { hashCandidate(box, true); }
  }
  if (state.picked !== undefined) { choose(`lab-text-${state.picked}`); }
  field.value = state.text !== undefined ? state.text : $("#lab-candidates code.lab-text").textContent;
  field.addEventListener("input", hashTyped);
  tool.hidden = false;
  hashTyped();
}
