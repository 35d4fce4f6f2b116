// The case page: "a" assigns to me, "n" starts a note, Ctrl+Enter saves it, "u" goes back.
(function () {
  "use strict";

  window.amends.onKey("a", function (event) {
    var form = document.getElementById("assign-me");
    if (!form) return;
    event.preventDefault();
    form.requestSubmit();
  });

  window.amends.onKey("n", function (event) {
    var note = document.getElementById("note");
    if (!note) return;
    event.preventDefault();
    note.focus();
  });

  window.amends.onKey("u", function () {
    var back = document.querySelector("[data-back]");
    if (back) window.location.href = back.href;
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.id === "note") {
      event.preventDefault();
      event.target.form.requestSubmit();
    }
  });
})();
