// The study list's "Bears on claim" field: as the reader types (3 characters or more), the
// published claims that match fill the field's datalist, which the browser offers as choices.
// Without JavaScript the field takes a claim's slug or whole text as typed.
(function () {
  var MIN_LENGTH = 3;
  var DELAY_MS = 200;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < MIN_LENGTH || text === asked) return;
      timer = setTimeout(function () {
        asked = text;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (body) {
            if (input.value.trim() !== text) return;  // typed on since: a newer answer comes
            list.replaceChildren.apply(list, body.results.map(function (claim) {
              var option = document.createElement("option");
              option.value = claim.text;
              return option;
            }));
          })
          .catch(function () {});
      }, DELAY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest][list]").forEach(attach);
  });
})();
