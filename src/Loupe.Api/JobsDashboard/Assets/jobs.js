// Refreshes the counts of the jobs overview every few seconds from /jobs/overview.json.
// The page works without it: it is the same page, kept current. No inline script, no other origin.
(function () {
  "use strict";
  var counts = document.querySelectorAll("[data-job-count]");
  if (counts.length === 0) {
    return;
  }
  var status = document.getElementById("refresh-status");
  var intervalSeconds = 3;

  function show(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function refresh() {
    fetch("/jobs/overview.json", { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (overview) {
        overview.counts.forEach(function (count) {
          var cell = document.querySelector('[data-job-count="' + count.status + '"]');
          if (cell) {
            cell.textContent = String(count.jobs);
          }
        });
        show("Updated " + new Date().toLocaleTimeString());
      })
      .catch(function () {
        show("Not updated: reload the page or sign in again.");
      });
  }

  show("Updates every " + intervalSeconds + " seconds.");
  window.setInterval(refresh, intervalSeconds * 1000);
})();
