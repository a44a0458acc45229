// On every page, so it stays tiny: registers the service worker (sw.js), shows a small "offline"
// note while there is no connection, keeps a lesson's or quiz's form from being lost offline,
// clears the learner's offline data at logout, and loads the offline interface (app.js) only
// where it is needed: a course page, the dashboard, the offline page, or work waiting to be sent.
(function () {
  var script = document.currentScript;
  var sw = navigator.serviceWorker;
  if (!sw || !window.caches || !script) return;
  var app;
  function load() {
    return app || (app = import(script.dataset.app).then(function (module) {
      return module.start(script.dataset).then(function () { return module; });
    }));
  }
  function tell(type) {
    sw.ready.then(function (registration) { registration.active.postMessage({ type: type }); });
  }
  var note = document.querySelector("#offline-note > span");
  function state(event) {
    var offline = !navigator.onLine;
    document.documentElement.classList.toggle("is-offline", offline);
    if (note) note.hidden = !offline;
    if (event && !offline) tell("back");
  }
  addEventListener("online", state);
  addEventListener("offline", state);
  state();
  addEventListener("load", function () {
    sw.register(script.dataset.sw).then(function () { if (navigator.onLine) tell("online"); }, function () {});
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute("action") || "";
    if (event.defaultPrevented) return;
    if (/\/accounts\/logout\/$/.test(action)) {
      event.preventDefault();
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("bilim-") === 0; })
          .map(function (name) { return caches.delete(name); }));
      }).finally(function () { form.submit(); });
    } else if (!navigator.onLine && /\/(complete|attempts|lab)\/$/.test(action)) {
      event.preventDefault();
      load().then(function (module) { module.queue(form); });
    }
  });
  if (document.querySelector("[data-offline-course], [data-offline-list]")) load();
  else Promise.all([caches.has("bilim-queue"), caches.has("bilim-notes")]).then(function (found) {
    if (found[0] || found[1]) load();
  });
})();
