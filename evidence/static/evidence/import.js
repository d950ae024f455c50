// The import preview's button counts the studies the import will create as records are ticked
// and unticked. Without JavaScript it counts every new record; the result counts those left
// out.
(function () {
  "use strict";
  var form = document.getElementById("import-confirm");
  if (!form) return;
  var total = Number(form.dataset.toCreate);
  var boxes = form.querySelectorAll('input[type="checkbox"][name^="include_"]');
  var buttons = form.querySelectorAll('input[type="submit"]');
  function update() {
    var count = total;
    boxes.forEach(function (box) { if (!box.checked) count -= 1; });
    var words = "Create " + count.toLocaleString("en-GB") + (count === 1 ? " study" : " studies");
    buttons.forEach(function (button) { button.value = words; });
  }
  form.addEventListener("change", update);
  update();
})();
