// Reporter pages work without this file. With it: the quick exit also
// replaces this page in the history, so "back" does not return here.
(function () {
  "use strict";
  document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(link.href);
    });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    // The switcher's own button (the select may belong to a step's form).
    var button = select.parentNode.querySelector("button[type=submit]");
    if (button) { button.hidden = true; }
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
