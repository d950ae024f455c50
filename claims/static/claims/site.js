// The article page's statement panel: HTMX loads a statement's evidence into the one panel
// beside the article (a sheet at the foot of the screen on a phone); this keeps aria-expanded
// true on the statement shown and false on the others, moves focus into the panel, and closes
// it again (its close button or Escape), returning focus to the statement. A claim page's
// "Show all" findings load in place too; focus goes to the page of findings loaded.
function closePanel(panel) {
  var shown = document.querySelector('[aria-controls="' + panel.id + '"][aria-expanded="true"]');
  panel.innerHTML = "";
  if (shown) {
    shown.setAttribute("aria-expanded", "false");
    shown.focus();
  }
}

document.addEventListener("click", function (event) {
  var close = event.target.closest("[data-close-panel]");
  if (!close) return;
  var panel = close.closest(".statement-panel");
  if (panel) closePanel(panel);  // on the statement's own page there is nothing to close
});

document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var panel = document.querySelector(".statement-panel");
  if (panel && panel.innerHTML.trim() !== "") closePanel(panel);
});

document.addEventListener("htmx:afterSwap", function (event) {
  var panel = event.detail.target;
  var opener = event.detail.requestConfig && event.detail.requestConfig.elt;
  document.querySelectorAll('[aria-controls="' + panel.id + '"]').forEach(function (trigger) {
    trigger.setAttribute("aria-expanded", trigger === opener ? "true" : "false");
  });
  var heading = panel.querySelector(".panel-body, .findings-page");
  if (heading) heading.focus({ preventScroll: !panel.classList.contains("statement-panel") });
});
