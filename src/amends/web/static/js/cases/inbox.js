// The inbox: j/k move through the cases, Enter opens one, r sorts by risk or by age, status
// chips set the status filter.
(function () {
  "use strict";

  var selected = -1;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#case-list tr[data-case]"));
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    selected = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, n) {
      row.classList.toggle("selected", n === selected);
    });
    // Focusing the row's link makes Enter open it, and shows where we are to screen readers.
    var link = all[selected].querySelector("a");
    link.focus({ preventScroll: true });
    all[selected].scrollIntoView({ block: "nearest" });
  }

  function openSelected(event) {
    var row = rows()[selected];
    var focused = document.activeElement;
    // Enter on a focused button or link elsewhere keeps its own meaning.
    if (!row || (focused && focused !== document.body && !row.contains(focused))) return;
    event.preventDefault();
    window.location.href = row.querySelector("a").href;
  }

  window.amends.onKey("j", function () { select(selected + 1); });
  window.amends.onKey("k", function () { select(selected - 1); });
  window.amends.onKey("Enter", openSelected);

  window.amends.onKey("r", function (event) {
    var form = document.getElementById("filters");
    if (!form || !form.elements.sort) return;
    event.preventDefault();
    form.elements.sort.value = form.elements.sort.value === "risk" ? "" : "risk";
    form.requestSubmit();
  });

  document.addEventListener("click", function (event) {
    var chip = event.target.closest(".chips a[data-status]");
    var form = document.getElementById("filters");
    if (chip && form && window.htmx) {
      event.preventDefault();
      form.elements.status.value = chip.dataset.status;
      form.requestSubmit();
      return;
    }
    var row = event.target.closest("tr[data-case]");
    if (row && !event.target.closest("a") && !window.getSelection().toString()) {
      window.location.href = row.querySelector("a").href;
    }
  });

  // Leave empty filters out of the URL, so bookmarks stay short.
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (name) {
      if (params[name] === "") delete params[name];
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "case-list") selected = -1;
  });
})();
