// Bilim's service worker, served as /sw.js (lms.views.service_worker). Two jobs, nothing more:
//  1. Saved courses: the pages' script (app.js) asks it to save a course; it fetches exactly the
//     list the server gives (GET /api/v1/courses/<slug>/offline) into a cache named after the
//     revision, serves those pages without a connection, refreshes them when a new revision is
//     published, and shows /<lang>/offline/ for a page that was not saved.
//  2. Work done offline: marks, quiz and lab answers queued by the page are sent when the
//     connection returns (Background Sync, or the next page load), each with its Idempotency-Key
//     and a fresh CSRF token, so sending twice records once. The server decides what counts.
// Storage is Cache Storage only, with these names; logging out clears them all.
"use strict";
const COURSE = "bilim-course:"; // + "<slug>:<lang>:<revision>": one cache per saved course
const META = "bilim-meta"; // /offline/meta/<slug>/<lang>: what was saved (JSON)
const QUEUE = "bilim-queue"; // /offline/queue/<key>: a request waiting to be sent (JSON)
const NOTES = "bilim-notes"; // /offline/notes/<key>: what became of a sent request (JSON)
const SHELL = "bilim-shell"; // /<lang>/offline/
const API = "/api/v1/";
const KEEP = { ignoreVary: true };
let flushing = null;
let checked = 0;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const json = (body) => new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });
const read = async (name) => {
  if (!(await caches.has(name))) return [];
  const cache = await caches.open(name);
  // An entry listed by keys() may be gone by the time it is matched (the worker sends and
  // deletes queued work meanwhile): skip it rather than fail the whole read.
  const found = await Promise.all((await cache.keys()).map((key) => cache.match(key)));
  return Promise.all(found.filter(Boolean).map((response) => response.json()));
};
const tell = async (message) => (await self.clients.matchAll()).forEach((client) => client.postMessage(message));
const language = (url) => (url.pathname.match(/^\/(ky|ru|en)\//) || [, "ky"])[1];

async function get(url) {
  const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// Pages: the network while there is one (keeping a saved copy fresh), else the saved copy, else
// the offline page. Other files: the network, else a saved copy; course files (/assets/, never
// changing) from the saved copy first.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith(API)) return;
  if (request.mode === "navigate") event.respondWith(page(request, url));
  else if (!navigator.onLine || url.pathname.startsWith("/assets/"))
    event.respondWith(caches.match(request, KEEP).then((found) => found || fetch(request)));
  else event.respondWith(fetch(request).catch(() => caches.match(request, KEEP).then((found) => found || Response.error())));
});

async function page(request, url) {
  const saved = await caches.match(request, KEEP);
  if (navigator.onLine) {
    try {
      const fresh = fetch(request);
      const response = await (saved ? Promise.race([fresh, new Promise((_, no) => setTimeout(no, 6000))]) : fresh);
      if (saved && response.ok && !response.redirected && !url.search) keepFresh(request, response.clone());
      return response;
    } catch (error) {
      // no answer: the saved copy, or the offline page
    }
  }
  if (saved) return saved;
  const shell = await caches.open(SHELL);
  const keys = await shell.keys();
  const own = keys.find((key) => new URL(key.url).pathname === `/${language(url)}/offline/`) || keys[0];
  return own ? shell.match(own) : Response.error();
}

async function keepFresh(request, response) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(COURSE)) continue;
    const cache = await caches.open(name);
    if (await cache.match(request, KEEP)) return cache.put(request, response);
  }
}

// Saving: every file of the list into a new cache (files that never change are copied from an
// earlier save), then the older revision's cache goes, then the record of what was saved. One
// save at a time, so that a refresh never mixes two revisions.
let saving = Promise.resolve();
function save(...args) {
  const run = saving.then(() => saveNow(...args));
  saving = run.catch(() => {});
  return run;
}

async function saveNow(slug, lang, only, revision) {
  const list = await get(`${API}courses/${slug}/offline?lang=${lang}`);
  if (list.revision !== revision) only = null; // a new revision: save it whole
  const session = await get(`${API}offline/session`);
  const name = `${COURSE}${slug}:${lang}:${list.revision}`;
  const cache = await caches.open(name);
  const files = only ? list.files.filter((file) => only.includes(file.url)) : list.files;
  const progress = { type: "progress", slug, lang, done: 0, total: files.length, size: list.size };
  tell(progress);
  try {
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const file = files[next++];
        let response = file.immutable && (await caches.match(file.url, KEEP));
        if (!response) {
          response = await fetch(file.url, { cache: file.immutable ? "default" : "no-store", credentials: "same-origin" });
          if (!response.ok || response.redirected) throw new Error(`${file.url}: ${response.status}`);
        }
        await cache.put(file.url, response);
        progress.done += 1;
        tell(progress);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await (await caches.open(SHELL)).add(`/${lang}/offline/`);
  } catch (error) {
    if (!only) await caches.delete(name);
    tell({ type: "failed", slug, lang });
    throw error;
  }
  for (const old of await caches.keys()) if (old.startsWith(`${COURSE}${slug}:${lang}:`) && old !== name) await caches.delete(old);
  const meta = { slug, lang, title: list.title, revision: list.revision, size: list.size, url: list.files[0].url, owner: session.owner, saved: Date.now() };
  await (await caches.open(META)).put(`/offline/meta/${slug}/${lang}`, json(meta));
  tell({ type: "saved", meta });
  return meta;
}

async function remove(slug, lang) {
  for (const name of await caches.keys()) if (name.startsWith(`${COURSE}${slug}:${lang}:`)) await caches.delete(name);
  await (await caches.open(META)).delete(`/offline/meta/${slug}/${lang}`);
  tell({ type: "removed", slug, lang });
  return {};
}

async function clear() {
  for (const name of await caches.keys()) if (name.startsWith("bilim-")) await caches.delete(name);
  tell({ type: "cleared" });
  return {};
}

// The queue. The owner (a digest of who was signed in when the course was saved) travels with
// each entry: work is never sent for, nor pages shown to, another account.
async function enqueue(entry) {
  const metas = await read(META);
  entry.owner = (metas.find((meta) => meta.slug === entry.course) || metas[0] || {}).owner || "";
  await (await caches.open(QUEUE)).put(`/offline/queue/${entry.key}`, json(entry));
  tell({ type: "queue" });
  if (self.registration.sync) await self.registration.sync.register(QUEUE).catch(() => {});
  if (navigator.onLine) flush().catch(() => {});
  return {};
}

const flush = () => flushing || (flushing = send().finally(() => (flushing = null)));

async function send() {
  const entries = (await read(QUEUE)).sort((a, b) => a.created - b.created);
  if (!entries.length) return;
  const session = await get(`${API}offline/session`);
  if (!session.owner) throw new Error("not signed in"); // kept until the learner logs in again
  if (entries.some((entry) => entry.owner && entry.owner !== session.owner)) return clear();
  const queue = await caches.open(QUEUE);
  const notes = await caches.open(NOTES);
  const touched = new Map();
  try {
    for (const entry of entries) {
      const response = await fetch(entry.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": session.csrf, "Idempotency-Key": entry.key },
        body: JSON.stringify(entry.body),
      });
      const body = await response.json().catch(() => ({}));
      const note = { key: entry.key, label: entry.label, message: body.message || "", status: response.ok ? "sent" : "refused" };
      if (response.status === 429) note.status = "later";
      if (response.status >= 500 || [401, 403, 429].includes(response.status)) {
        if (note.status === "later") await notes.put(`/offline/notes/${entry.key}`, json(note));
        throw new Error(`${entry.url}: ${response.status}`);
      }
      await notes.put(`/offline/notes/${entry.key}`, json(note));
      await queue.delete(`/offline/queue/${entry.key}`);
      const pages = touched.get(`${entry.course}:${entry.lang}`) || [];
      touched.set(`${entry.course}:${entry.lang}`, pages.concat(entry.page));
    }
  } finally {
    if (!(await queue.keys()).length) await caches.delete(QUEUE);
    tell({ type: "queue" });
    // The saved pages the sent work changed (the item, the course page) show the new progress.
    const metas = await read(META);
    for (const [course, pages] of touched) {
      const meta = metas.find((found) => `${found.slug}:${found.lang}` === course);
      if (meta) await save(meta.slug, meta.lang, pages.concat(meta.url), meta.revision).catch(() => {});
    }
  }
}

// Back online (or a page loaded online): send the queue, then refresh each saved course whose
// live revision changed, or that was saved for a visitor who has signed in since.
async function check(force) {
  await flush().catch(() => {});
  if (!force && Date.now() - checked < 300000) return {};
  checked = Date.now();
  const metas = await read(META);
  if (!metas.length) return {};
  const session = await get(`${API}offline/session`);
  if (session.owner && metas.some((meta) => meta.owner && meta.owner !== session.owner)) return clear();
  for (const meta of metas) {
    const list = await get(`${API}courses/${meta.slug}/offline?lang=${meta.lang}`);
    if (list.revision !== meta.revision || meta.owner !== session.owner) await save(meta.slug, meta.lang);
  }
  return {};
}

self.addEventListener("sync", (event) => {
  if (event.tag === QUEUE) event.waitUntil(flush());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports[0];
  const work = {
    save: () => save(data.slug, data.lang),
    remove: () => remove(data.slug, data.lang),
    queue: () => enqueue(data.entry),
    online: () => check(false),
    back: () => check(true),
    clear,
  }[data.type];
  if (!work) return;
  const done = work().then(
    (value) => port && port.postMessage(value || {}),
    (error) => port && port.postMessage({ error: String(error) }),
  );
  event.waitUntil(done);
});
