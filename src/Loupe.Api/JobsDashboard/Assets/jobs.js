// Keeps the jobs overview current: every few seconds it reads /jobs/overview.json, updates the counts
// and draws the last minute's succeeded and failed jobs per second into the page's empty <svg>.
// The page works without it: it is the same page, kept current. No inline script, no other origin.
(function () {
  "use strict";
  var counts = document.querySelectorAll("[data-job-count]");
  if (counts.length === 0) {
    return;
  }
  var status = document.getElementById("refresh-status");
  var chart = document.getElementById("realtime");
  var svg = "http://www.w3.org/2000/svg";
  var intervalSeconds = 3;

  function show(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function bar(kind, x, y, width, height) {
    var rect = document.createElementNS(svg, "rect");
    rect.setAttribute("class", kind);
    rect.setAttribute("x", x.toFixed(2));
    rect.setAttribute("y", y.toFixed(2));
    rect.setAttribute("width", width.toFixed(2));
    rect.setAttribute("height", height.toFixed(2));
    return rect;
  }

  // Each second a bar: succeeded from the bottom, failed stacked on it; scaled to the busiest second.
  function draw(buckets) {
    if (!chart || !buckets) {
      return;
    }
    var width = 600;
    var height = 120;
    var highest = 1;
    buckets.forEach(function (b) {
      highest = Math.max(highest, b.succeeded + b.failed);
    });
    var step = width / Math.max(1, buckets.length);
    var succeeded = 0;
    var failed = 0;
    var bars = document.createDocumentFragment();
    buckets.forEach(function (b, i) {
      var ok = (height * b.succeeded) / highest;
      var bad = (height * b.failed) / highest;
      var group = document.createElementNS(svg, "g");
      var title = document.createElementNS(svg, "title");
      title.textContent = new Date(b.start).toLocaleTimeString() + ": " + b.succeeded + " succeeded, " + b.failed + " failed";
      group.appendChild(title);
      group.appendChild(bar("succeeded", i * step, height - ok, Math.max(1, step - 2), ok));
      group.appendChild(bar("failed", i * step, height - ok - bad, Math.max(1, step - 2), bad));
      bars.appendChild(group);
      succeeded += b.succeeded;
      failed += b.failed;
    });
    while (chart.firstChild) {
      chart.removeChild(chart.firstChild);
    }
    chart.appendChild(bars);
    chart.setAttribute("data-succeeded", String(succeeded));
    chart.setAttribute("data-failed", String(failed));
    chart.setAttribute("aria-label", "Last minute: " + succeeded + " succeeded, " + failed + " failed");
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
        Object.keys(overview.counts).forEach(function (name) {
          var cell = document.querySelector('[data-job-count="' + name + '"]');
          if (cell) {
            cell.textContent = String(overview.counts[name]);
          }
        });
        draw(overview.last_minute);
        show("Updated " + new Date().toLocaleTimeString());
      })
      .catch(function () {
        show("Not updated: reload the page or sign in again.");
      });
  }

  show("Updates every " + intervalSeconds + " seconds.");
  refresh();
  window.setInterval(refresh, intervalSeconds * 1000);
})();

// Keeps the lists and a job's page current: every few seconds it reads the same address again and
// puts that page's <main data-live> in place of this one's — unless the admin is using the page (a
// field or button focused, a box ticked, a filter being typed), so nothing is taken from under them.
// Without it the page is the same, current when loaded. Same origin only; nothing runs from the answer.
(function () {
  "use strict";
  var main = document.querySelector("main[data-live]");
  if (!main) {
    return;
  }
  var intervalSeconds = 5;

  function busy() {
    var active = document.activeElement;
    if (active && active !== document.body && main.contains(active) && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(active.tagName)) {
      return true;
    }
    var fields = main.querySelectorAll("input");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "checkbox" ? field.checked : field.type !== "hidden" && field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function refresh() {
    if (document.hidden || busy()) {
      return;
    }
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html").querySelector("main[data-live]");
        if (next && !busy()) {
          main.replaceChildren.apply(main, Array.prototype.slice.call(next.childNodes));
        }
      })
      .catch(function () {
        // The page stays as it is; the next round tries again (a reload shows why, e.g. a session that ended).
      });
  }

  window.setInterval(refresh, intervalSeconds * 1000);
})();
