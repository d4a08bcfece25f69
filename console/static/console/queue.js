/* The case queue updates itself while open: every few seconds it fetches the queue's
   rows from the console (same origin, no other files) and puts them in place. It waits
   while the keyboard is on a control inside the list, so focus is never lost, and when
   the counts change it tells screen readers once. Signed out (or any error page): the
   page reloads, which shows the sign-in form. Without script, a <noscript> refresh
   reloads the page instead. */
(function () {
  "use strict";
  var queue = document.getElementById("queue");
  var news = document.getElementById("queue-news");
  if (!queue || !window.fetch) {
    return;
  }
  var url = queue.getAttribute("data-refresh-url");
  var seconds = Number(queue.getAttribute("data-refresh-seconds")) || 15;
  var timer = 0;
  var fetching = false;

  function summary(root) {
    var element = root.querySelector("[data-summary]");
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function busy() {
    var active = document.activeElement;
    return Boolean(active && active !== document.body && queue.contains(active));
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, seconds * 1000);
  }

  function refresh() {
    if (fetching) {
      return;
    }
    if (document.hidden || busy()) {
      later();
      return;
    }
    fetching = true;
    window
      .fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.redirected || !response.ok) {
          window.location.reload();
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null || busy()) {
          return;
        }
        var before = summary(queue);
        queue.innerHTML = html;
        var after = summary(queue);
        if (news && after !== before) {
          news.textContent = "Cases updated: " + after;
        }
        queue.setAttribute("data-refreshed", String(Number(queue.getAttribute("data-refreshed") || 0) + 1));
      })
      .catch(function () {
        /* Offline for a moment: try again next time. */
      })
      .then(function () {
        fetching = false;
        later();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      refresh();
    }
  });
  later();
})();
