// The offline interface, loaded by boot.js where it is needed: the "Save for offline" control
// of a course page, the list of saved courses (dashboard, offline page), the work waiting to be
// sent, and turning a form sent without a connection into a queued API request. The service
// worker (sw.js) does the saving and the sending. Every text comes from the page's
// <template id="offline-texts"> (templates/lms/_offline_texts.html), or the offline page's.
const sw = navigator.serviceWorker;
const html = document.documentElement;
const lang = html.lang || "ky";
let texts = {};

function t(name, values = {}) {
  return Object.entries(values).reduce((text, [key, value]) => text.replace(`{${key}}`, value), texts[name] || "");
}

// The number in the page's language; the unit from the translations (Chromium's ICU has no
// Kyrgyz names for units and wrote "kB" on a Kyrgyz page).
function size(bytes) {
  const mega = bytes >= 1e6;
  const digits = { maximumFractionDigits: mega ? 1 : 0 };
  const n = new Intl.NumberFormat(lang, digits).format(mega ? bytes / 1e6 : Math.max(1, bytes / 1e3));
  return t(mega ? "megabytes" : "kilobytes", { n });
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function ask(message) {
  return sw.ready.then((registration) => new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => (event.data.error ? reject(new Error(event.data.error)) : resolve(event.data));
    registration.active.postMessage(message, [channel.port2]);
  }));
}

async function read(name) {
  if (!(await caches.has(name))) return [];
  const cache = await caches.open(name);
  // An entry listed by keys() may be gone by the time it is matched (the worker sends and
  // deletes queued work meanwhile): skip it rather than fail the whole read.
  const found = await Promise.all((await cache.keys()).map((key) => cache.match(key)));
  return Promise.all(found.filter(Boolean).map((response) => response.json()));
}

async function loadTexts(url) {
  let template = document.getElementById("offline-texts");
  if (!template) {
    const page = await fetch(url).then((response) => response.text(), () => "");
    template = new DOMParser().parseFromString(page, "text/html").getElementById("offline-texts");
  }
  texts = {};
  template?.content.querySelectorAll("[data-text]").forEach((node) => (texts[node.dataset.text] = node.textContent.trim()));
}

// A course page: size, save, progress, saved, remove.
function course(root) {
  const { offlineCourse: slug, offlineLang: language } = root.dataset;
  const saveButton = root.querySelector('[data-offline="save"]');
  const removeButton = root.querySelector('[data-offline="remove"]');
  const note = root.querySelector("[data-offline-size]");
  const bar = el("progress", { hidden: true, max: 1, value: 0 });
  bar.setAttribute("aria-label", root.dataset.offlineProgress);
  note.before(bar);
  const status = root.querySelector("[data-offline-status]");
  const mine = (data) => data.slug === slug && data.lang === language;
  root.hidden = false;

  async function show() {
    const meta = (await read("bilim-meta")).find(mine);
    saveButton.hidden = Boolean(meta);
    removeButton.hidden = !meta;
    saveButton.disabled = !navigator.onLine;
    if (meta) html.dataset.offlineState = "saved";
    else delete html.dataset.offlineState;
    if (meta) note.textContent = t("saved-size", { size: size(meta.size) });
    else if (navigator.onLine) {
      const list = await fetch(`/api/v1/courses/${slug}/offline?lang=${language}`).then((r) => r.json()).catch(() => null);
      note.textContent = list ? t("save-size", { size: size(list.size) }) : "";
    }
  }
  saveButton.addEventListener("click", async () => {
    saveButton.disabled = true;
    html.dataset.offlineState = "saving";
    status.textContent = t("saving-start");
    try {
      await ask({ type: "save", slug, lang: language });
      status.textContent = t("saved");
    } catch (error) {
      status.textContent = t("save-failed");
    }
    bar.hidden = true;
    show();
  });
  removeButton.addEventListener("click", async () => {
    await ask({ type: "remove", slug, lang: language });
    status.textContent = t("removed");
    show();
  });
  sw.addEventListener("message", ({ data }) => {
    if (data.type === "progress" && mine(data)) {
      bar.hidden = false;
      bar.max = data.total;
      bar.value = data.done;
      note.textContent = t("saving", { done: data.done, total: data.total, size: size(data.size) });
    } else if (["saved", "removed", "cleared"].includes(data.type)) show();
  });
  show();
}

// The saved courses, each with its size and a button to remove it.
async function list(section) {
  const metas = (await read("bilim-meta")).sort((a, b) => a.title.localeCompare(b.title, lang));
  const items = metas.map((meta) => {
    const remove = el("button", { type: "button", className: "button secondary small", textContent: t("remove") });
    remove.addEventListener("click", () => ask({ type: "remove", slug: meta.slug, lang: meta.lang }));
    const link = el("a", { href: meta.url, textContent: meta.title, lang: meta.lang });
    const facts = el("span", { className: "meta", textContent: `${meta.lang.toUpperCase()} · ${size(meta.size)}` });
    return el("li", {}, link, " ", facts, " ", remove);
  });
  const empty = el("p", { className: "meta", textContent: t("nothing-saved") });
  section.querySelector("ul").replaceChildren(...items);
  section.querySelector("[data-offline-empty]")?.replaceChildren(items.length ? "" : empty);
  section.hidden = !items.length && !section.querySelector("[data-offline-empty]");
}

// What is waiting to be sent and what became of what was sent, at the top of every page.
async function panel() {
  const [waiting, notes] = [await read("bilim-queue"), await read("bilim-notes")];
  let box = document.getElementById("offline-queue");
  if (!waiting.length && !notes.length) return box?.remove();
  if (!box) {
    box = el("section", { id: "offline-queue", className: "offline-queue" });
    box.setAttribute("aria-live", "polite");
    document.getElementById("main")?.prepend(box);
  }
  const parts = [];
  if (waiting.length) {
    parts.push(el("h2", { textContent: t("waiting", { count: waiting.length }) }), el("p", { className: "meta", textContent: t("waiting-note") }));
    parts.push(el("ul", {}, ...waiting.sort((a, b) => a.created - b.created).map((entry) => el("li", { textContent: entry.label }))));
  }
  if (notes.length) {
    const lines = notes.map((note) => el("li", { className: `note-${note.status}`, textContent: t(note.status, { what: note.label, message: note.message }) }));
    const close = el("button", { type: "button", className: "button secondary small", textContent: t("dismiss") });
    close.addEventListener("click", async () => {
      await caches.delete("bilim-notes");
      panel();
    });
    parts.push(el("h2", { textContent: t("results") }), el("ul", {}, ...lines), close);
  }
  box.replaceChildren(...parts);
}

// A form sent without a connection becomes the API request it stands for, queued on the phone.
function quizAnswers(form, data) {
  const answers = {};
  form.querySelectorAll("fieldset.question").forEach((fieldset) => {
    const id = fieldset.id.replace(/^question-/, "");
    const inputs = [...fieldset.querySelectorAll(`[name="q-${CSS.escape(id)}"]`)];
    const values = data.getAll(`q-${id}`).map((value) => String(value).trim());
    if (!inputs.length) return;
    if (inputs[0].type === "checkbox") answers[id] = values;
    else if (inputs.length === 2 && inputs.every((input) => input.id.endsWith(`-${input.value}`) && ["true", "false"].includes(input.value))) {
      if (values.length) answers[id] = values[0] === "true";
    } else if (values[0]) answers[id] = values[0];
  });
  return answers;
}

function labAnswers(form, data) {
  const field = (name) => String(data.get(name) || "").trim();
  const kind = document.querySelector("[data-lab-kind]")?.dataset.labKind;
  if (kind === "chain") return { nonces: [...form.querySelectorAll("[name^='nonce-']")].map((input) => field(input.name)) };
  if (kind === "transactions") {
    const outputs = [];
    for (let row = 1; form.elements[`amount-${row}`]; row += 1)
      if (field(`amount-${row}`)) outputs.push({ to: field(`to-${row}`), amount: field(`amount-${row}`) });
    return { inputs: data.getAll("inputs"), outputs, fee: field("fee") };
  }
  const names = { hash: ["text_index"], mining: ["nonce"], ledger: ["peer", "value"], keys: ["public_key", "signature"] }[kind] || [];
  return Object.fromEntries(names.filter(field).map((name) => [name, field(name)]));
}

export async function queue(form) {
  const path = new URL(form.action, location.href).pathname;
  const [, language, slug, key, kind] = path.match(/^\/([\w-]+)\/courses\/([^/]+)\/([^/]+)\/(complete|attempts|lab)\/$/);
  const data = new FormData(form);
  const title = document.querySelector("main h1")?.textContent.trim() || key;
  const answers = kind === "lab" ? labAnswers(form, data) : kind === "attempts" ? quizAnswers(form, data) : null;
  const entry = {
    key: crypto.randomUUID(),
    url: `/api/v1/courses/${slug}/items/${key}/${answers ? "attempts" : "complete"}?lang=${language}`,
    body: answers ? { answers } : {},
    label: t(answers ? (kind === "lab" ? "what-lab" : "what-quiz") : "what-complete", { title }),
    page: `/${language}/courses/${slug}/${key}/`,
    course: slug,
    lang: language,
    created: Date.now(),
  };
  const waiting = await read("bilim-queue");
  if (answers || !waiting.some((other) => other.url === entry.url)) await ask({ type: "queue", entry });
  const kept = el("p", { className: "offline-kept", tabIndex: -1, textContent: t(answers ? "kept-attempt" : "kept-complete") });
  kept.setAttribute("role", "status");
  if (answers) {
    form.querySelectorAll("input, button, select, textarea").forEach((input) => (input.disabled = true));
    form.append(kept);
  } else {
    document.querySelectorAll("form.complete").forEach((other) => (other.hidden = true));
    form.after(kept);
  }
  kept.focus();
  if (data.get("go") === "next") {
    const links = [...document.querySelectorAll(".item-outline a")];
    const next = links[links.findIndex((link) => link.getAttribute("aria-current") === "page") + 1];
    if (next) setTimeout(() => location.assign(next.href), 1200);
  }
}

export async function start(data) {
  await loadTexts(data.texts);
  const lists = document.querySelectorAll("[data-offline-list]");
  document.querySelectorAll("[data-offline-course]").forEach(course);
  lists.forEach(list);
  panel();
  sw.addEventListener("message", ({ data: message }) => {
    if (["saved", "removed", "cleared"].includes(message.type)) lists.forEach(list);
    if (["queue", "cleared"].includes(message.type)) panel();
  });
}
