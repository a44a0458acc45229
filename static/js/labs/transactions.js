// A transactions lab (templates/courses/labs/_transactions_form.html): the answer form itself
// becomes the builder. Ticking inputs and typing outputs shows the sums live; the fee is
// worked out as inputs minus outputs; "Send the change back to me" fills the change output.
const amountOf = (text) => (/^\d{1,12}$/.test(text.trim()) ? Number(text.trim()) : 0);

export function start({ $, $$, number, say, announce, verdict, load, save }) {
  const tool = $("#lab-tx");
  if (!tool) { return; } // no form on the page: nothing to build
  const outputs = $("#lab-outputs");
  const learner = outputs.dataset.learner;
  const minFee = Number(outputs.dataset.minFee);
  const inputs = $$('input[name="inputs"]');
  const rows = $$(".lab-output", outputs).map((div, i) => ({
    div, to: $(`#lab-to-${i + 1}`), amount: $(`#lab-amount-${i + 1}`),
  }));
  const fee = $("#lab-fee");
  const add = $("#lab-add-output");
  const line = $("#lab-tx-state");
  let telling;

  const spent = () => inputs.filter((box) => box.checked).reduce((sum, box) => sum + Number(box.dataset.amount), 0);
  const paid = (which = () => true) => rows.filter((row) => !row.div.hidden && which(row))
    .reduce((sum, row) => sum + amountOf(row.amount.value), 0);

  function update(quietly) {
    const total = spent();
    const out = paid();
    const left = total - out;
    $("#lab-tx-in").textContent = number(total);
    $("#lab-tx-out").textContent = number(out);
    $("#lab-tx-fee").textContent = number(left);
    fee.value = total > 0 && left >= 0 ? String(left) : "";
    if (total === 0 || out === 0) { verdict(line, null, say(tool, total ? "noOutputs" : "empty")); } else if (left < 0) {
      verdict(line, false, say(tool, "over", { amount: number(-left) }));
    } else if (left < minFee) {
      verdict(line, false, say(tool, "lowFee", { fee: number(minFee) }));
    } else { verdict(line, true, say(tool, "balanced")); }
    add.hidden = rows.every((row) => !row.div.hidden);
    save({
      inputs: inputs.filter((box) => box.checked).map((box) => box.value),
      rows: rows.map((row) => ({ to: row.to.value, amount: row.amount.value, shown: !row.div.hidden })),
    });
    if (!quietly) {
      clearTimeout(telling);
      const sums = { inputs: number(total), outputs: number(out), fee: number(left) };
      telling = setTimeout(() => announce(say(tool, "sums", sums), line.textContent), 700);
    }
  }

  add.addEventListener("click", () => {
    const row = rows.find((candidate) => candidate.div.hidden);
    row.div.hidden = false;
    row.to.focus();
    update(true);
  });

  $("#lab-change").addEventListener("click", () => {
    const change = spent() - paid((row) => row.to.value !== learner) - minFee;
    const row = rows.find((r) => !r.div.hidden && r.to.value === learner)
      || rows.find((r) => !r.div.hidden && !r.amount.value.trim())
      || rows.find((r) => r.div.hidden);
    row.div.hidden = false;
    row.to.value = learner;
    row.amount.value = change > 0 ? String(change) : "";
    update(true);
    announce(change > 0 ? say(tool, "change", { amount: number(change) }) : say(tool, "noChange"), line.textContent);
  });

  const kept = load();
  if (kept.rows && kept.rows.length === rows.length) {
    inputs.forEach((box) => { box.checked = kept.inputs.includes(box.value); });
    rows.forEach((row, i) => {
      row.to.value = kept.rows[i].to;
      row.amount.value = kept.rows[i].amount;
      row.div.hidden = !kept.rows[i].shown;
    });
  } else {
    rows.slice(2).forEach((row) => { row.div.hidden = !row.amount.value.trim(); });
  }
  for (const field of [...inputs, ...rows.flatMap((row) => [row.to, row.amount])]) {
    field.addEventListener(field.type === "checkbox" || field.tagName === "SELECT" ? "change" : "input", () => update(false));
  }
  fee.readOnly = true;
  fee.setAttribute("aria-describedby", "lab-fee-auto");
  $("#lab-fee-auto").hidden = false;
  $("#lab-output-actions").hidden = false;
  tool.hidden = false;
  update(true);
}
