// The page of long work the task worker runs (an import's result page, a regrade of the
// library): every few seconds, read the page again and show its progress in place (the element
// marked data-follow-progress, a status region, announces it); once the page no longer marks
// anything to follow (the work is done or stopped), show the whole page as it now is. Without
// JavaScript the page has a "refresh" link.
(function () {
  "use strict";
  var region = document.querySelector("[data-follow-progress]");
  if (!region) return;
  function poll() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        var fresh = next.querySelector("[data-follow-progress]");
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
