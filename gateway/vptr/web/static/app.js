/* V-PTR beheer: small enhancements; every page works without them. */
(function () {
  "use strict";
  // Long operations (imports, uploads, exports): show progress while the server works.
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var box = document.getElementById(form.getAttribute("data-progress"));
      if (box) { box.hidden = false; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      form.setAttribute("aria-busy", "true");
    });
  });
  // Confirm destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // Move the focus to the summary of a form's errors, so a screen reader reads it first.
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
