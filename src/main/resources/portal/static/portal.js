// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A block with data-when="<id of a checkbox or radio>" shows only while that input is checked
  // (the PIN field for an authorized user, the device choice).
  function bindReveal(block) {
    var control = document.getElementById(block.getAttribute("data-when"));
    if (!control) { return; }
    var group = control.name ? document.querySelectorAll('input[name="' + control.name + '"]') : [control];
    function update() { block.classList.toggle("hidden", !control.checked); }
    Array.prototype.forEach.call(group, function (input) { input.addEventListener("change", update); });
    update();
  }

  // The password-reset link carries its code after '#', which no browser sends to a server: copy it into
  // the form and take it out of the address bar.
  function fillResetCode() {
    var field = document.getElementById("f-token");
    if (!field || location.hash.length < 2) { return; }
    field.value = decodeURIComponent(location.hash.substring(1));
    history.replaceState(null, "", location.pathname);
  }

  // The import form says it is working while a large file is sent.
  function showProgress(form) {
    form.addEventListener("submit", function () {
      var note = form.querySelector(".progress");
      if (note) { note.hidden = false; }
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".reveal[data-when]"), bindReveal);
    fillResetCode();
    var importForm = document.getElementById("import-form");
    if (importForm) { showProgress(importForm); }
  });
}());
