// The article page's statement panels: HTMX loads a panel in place; this closes it again,
// keeps aria-expanded true to what is open, and returns focus to the statement. A claim page's
// "Show all" findings load in place too; focus goes to the page of findings loaded.
document.addEventListener("click", function (event) {
  var close = event.target.closest("[data-close-panel]");
  if (!close) return;
  var panel = close.closest(".panel");
  if (!panel) return;  // the statement's own page: nothing to close
  var trigger = document.querySelector('[aria-controls="' + panel.id + '"]');
  panel.innerHTML = "";
  if (trigger) {
    trigger.setAttribute("aria-expanded", "false");
    trigger.focus();
  }
});

document.addEventListener("htmx:afterSwap", function (event) {
  var panel = event.detail.target;
  var trigger = document.querySelector('[aria-controls="' + panel.id + '"]');
  if (trigger) trigger.setAttribute("aria-expanded", "true");
  var heading = panel.querySelector("h3 a, .panel-body, .findings-page");
  if (heading) heading.focus({ preventScroll: true });
});
