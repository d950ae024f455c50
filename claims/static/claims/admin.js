// The admin's widgets, named for screen readers (axe-core's aria-input-field-name and
// aria-prohibited-attr): Django's autocompletes (select2) label their combobox with its
// current value alone, empty until a choice is made, so each combobox is labelled by its
// field's name (its <label>, or in a tabular inline the aria-label config/admin_inlines.py
// gives it) and then its value; the filter pickers' search icons carry an aria-label on a
// bare span, which needs the role of an image. Both widgets are drawn by Django's own scripts
// once the page has loaded (and autocompletes again in each row added), so this runs after.
(function () {
  function fieldName(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var text = label ? label.textContent : select.getAttribute("aria-label") || "";
    return text.replace(/:\s*$/, "").trim();
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var value = document.getElementById("select2-" + select.id + "-container");
      var combobox = value && value.closest('[role="combobox"]');
      if (!combobox || combobox.dataset.named) return;
      var name = document.createElement("span");
      name.id = select.id + "-name";
      name.hidden = true;
      name.textContent = fieldName(select);
      select.parentNode.insertBefore(name, select);
      value.setAttribute("aria-labelledby", name.id);  // select2 makes it a textbox
      combobox.setAttribute("aria-labelledby", name.id + " " + value.id);
      combobox.dataset.named = "true";
    });
    document.querySelectorAll(".help-tooltip.search-label-icon[aria-label]").forEach(
      function (icon) { icon.setAttribute("role", "img"); }
    );
  }

  window.addEventListener("load", function () { setTimeout(nameAutocompletes, 0); });
  document.addEventListener("formset:added", function () { setTimeout(nameAutocompletes, 0); });
})();
