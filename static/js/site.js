// Progressive enhancement only: every page works without this file.
(function () {
  // On wide screens the course outline beside a lesson starts open.
  if (window.matchMedia("(min-width: 60rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
  // After a quiz is submitted, move keyboard and screen-reader focus to the result.
  var result = document.getElementById("result");
  if (result && location.hash === "#result") { result.focus(); }
})();
