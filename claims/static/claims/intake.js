// The intake workbench, keyboard-first: j/k move between sentences, 1-3 or a link a suggestion,
// r turns down the first one, n marks the sentence as not a statement, u jumps to the next
// sentence still to decide (on a later page of sentences when none is left after this one).
// Keys typed into a field are left alone. Every action is a form, so the page works without
// this file.
(function () {
  function units() { return Array.prototype.slice.call(document.querySelectorAll("[data-unit]")); }
  function current() {
    var focused = document.activeElement && document.activeElement.closest("[data-unit]");
    return focused || null;
  }
  function focusUnit(unit) {
    if (!unit) return;
    unit.focus({ preventScroll: true });
    unit.scrollIntoView({ block: "center" });
  }
  function move(step) {
    var all = units(), at = all.indexOf(current());
    focusUnit(all[Math.max(0, Math.min(all.length - 1, at + step))] || all[0]);
  }
  function submit(unit, selector) {
    var button = unit && unit.querySelector(selector);
    if (button) button.click();
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    var unit = current();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "u":
        var all = units(), at = all.indexOf(unit);
        var undecided = all.slice(at + 1).filter(function (u) { return !u.classList.contains("is-done"); })[0];
        var later = document.querySelector("[data-next-undecided]");
        if (!undecided && later) { later.click(); break; }  // on a later page of sentences
        focusUnit(undecided || all.slice(0, at + 1)
          .filter(function (u) { return !u.classList.contains("is-done"); })[0]);
        break;
      case "a": case "1": case "2": case "3":
        var n = event.key === "a" ? 1 : Number(event.key);
        submit(unit, ".suggestions > li:nth-child(" + n + ") button.link");
        break;
      case "r": submit(unit, ".suggestions > li:first-child button.reject"); break;
      case "n": submit(unit, "button.not-statement"); break;
      default: return;
    }
    event.preventDefault();
  });
  // After HTMX replaces a sentence, keep the keyboard on it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = document.getElementById(event.detail.target.id);
    if (target && target.matches && target.matches("[data-unit]")) target.focus({ preventScroll: true });
  });
  document.addEventListener("DOMContentLoaded", function () {
    var hash = window.location.hash && document.querySelector(window.location.hash);
    if (hash && hash.matches("[data-unit]")) focusUnit(hash);
  });
})();
