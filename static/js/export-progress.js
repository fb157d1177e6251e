// The export page without reloading: polls the export's small JSON status and moves the bar;
// once the file is ready (or failed) it reloads once to show the download link. Without
// JavaScript the page's meta refresh (in <noscript>) does the same, a little less smoothly.
(function () {
  "use strict";
  var box = document.querySelector("[data-testid=export-file]");
  if (!box || !window.fetch) {
    return;
  }
  var state = box.dataset.state;
  if (state !== "queued" && state !== "running") {
    return;
  }
  var bar = box.querySelector("progress");
  var rows = box.querySelector("[data-testid=export-rows]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.state !== state && (status.state === "ready" || status.state === "failed" ||
                                       status.state === "expired")) {
          window.location.reload();
          return;
        }
        if (bar && status.rows_expected) {
          bar.max = status.rows_expected;
          bar.value = status.rows_written;
        }
        if (rows) {
          rows.textContent = rows.textContent.replace(/\d[\d,]*/, String(status.rows_written))
            .replace(/（\d+%）|\(\d+%\)/, function (text) {
              return text.replace(/\d+/, String(status.percent));
            });
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
