// The result page of an import the task worker runs: every few seconds, read the page again
// and show its progress in place (the status region announces it); once the import is no longer
// in progress, show the whole result. Without JavaScript the page has a "Refresh" link.
(function () {
  "use strict";
  var region = document.querySelector("[data-import-progress]");
  if (!region) return;
  function poll() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        var fresh = next.querySelector("[data-import-progress]");
        if (!fresh) {
          window.location.reload();
          return;
        }
        region.innerHTML = fresh.innerHTML;
        window.setTimeout(poll, 3000);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 3000);
})();
