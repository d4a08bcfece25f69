/* The takeover page keeps itself up to date: every few seconds it asks the console
   (same origin, nothing from elsewhere) for the messages after the last one shown and
   adds them, with the takeover's state, and tells screen readers when the patient has
   written. Signed out (or any error page): the page reloads, which shows the sign-in
   form. Without script, a link reloads the page.

   The message being written is kept in this tab's sessionStorage until the console
   confirms it was sent, so a sign-out, a reload or a refused send never loses it. */
(function () {
  "use strict";
  var live = document.getElementById("live");
  var state = document.getElementById("takeover-state");
  var news = document.getElementById("live-news");
  if (!live || !window.fetch) {
    return;
  }
  var url = live.getAttribute("data-lines-url");
  var seconds = Number(live.getAttribute("data-refresh-seconds")) || 3;
  var timer = 0;
  var fetching = false;

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, seconds * 1000);
  }

  function refresh() {
    if (fetching) {
      return;
    }
    fetching = true;
    var after = live.getAttribute("data-after") || "0";
    window
      .fetch(url + "&after=" + encodeURIComponent(after), {
        credentials: "same-origin",
        cache: "no-store",
        headers: { "X-Requested-With": "fetch" },
      })
      .then(function (response) {
        if (response.redirected || !response.ok) {
          window.location.reload();
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var holder = document.createElement("div");
        holder.innerHTML = html; // the console's own escaped HTML
        var fresh = holder.querySelector("[data-state]");
        if (fresh && state) {
          state.innerHTML = fresh.innerHTML;
        }
        var list = holder.querySelector("[data-entries]");
        if (!list) {
          return;
        }
        var patient = 0;
        Array.prototype.slice.call(list.children).forEach(function (item) {
          var id = item.getAttribute("data-event");
          if (id && live.querySelector('[data-event="' + id + '"]')) {
            return; // already shown
          }
          if (item.getAttribute("data-kind") === "patient") {
            patient += 1;
          }
          live.appendChild(item);
        });
        live.setAttribute("data-after", list.getAttribute("data-after") || after);
        if (patient && news) {
          news.textContent = patient === 1 ? "New message from the patient." : patient + " new messages from the patient.";
        }
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

  // ---- the message being written ----
  var form = document.getElementById("compose");
  var box = form ? form.querySelector("textarea") : null;
  var draft = form ? form.querySelector("input[name=draft]") : null;
  if (!form || !box || !draft || !window.sessionStorage) {
    return;
  }
  var key = "backcare-takeover:" + window.location.pathname;
  function stored() {
    try {
      return JSON.parse(window.sessionStorage.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  }
  var kept = stored();
  if (kept && kept.draft === form.getAttribute("data-last-sent")) {
    window.sessionStorage.removeItem(key); // sent: nothing to keep
  } else if (kept && kept.text && !box.value) {
    box.value = kept.text;
    var note = document.getElementById("draft-note");
    if (note) {
      note.textContent = "Your unsent message was put back in the box.";
    }
  }
  box.addEventListener("input", function () {
    try {
      window.sessionStorage.setItem(key, JSON.stringify({ draft: draft.value, text: box.value }));
    } catch (e) {
      /* Storage full or blocked: the server still keeps a refused message. */
    }
  });
})();
