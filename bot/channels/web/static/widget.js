/*
 * BackCare web chat widget. Plain JavaScript, no build step, no third-party code but the
 * vendored socket.io client.
 *
 * Embed on any page (the script finds the server from its own address):
 *
 *   <script src="https://CHAT-HOST/webhooks/webchat/static/widget.js" defer></script>
 *
 * Optional data attributes on that tag:
 *   data-server="https://CHAT-HOST"   server to talk to (default: the script's origin)
 *   data-open="true"                  open the chat when the page loads
 *   data-mode="page"                  fill an element instead of a launcher button
 *   data-target="element-id"          that element (page mode)
 *
 * Every word shown comes from /webhooks/webchat/strings.json (content/channels.yml).
 * The conversation id and a copy of the transcript live in localStorage, so a reload
 * or a server restart continues the same conversation. Message text is only ever put
 * into the page as DOM text nodes: never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__backcareWidgetLoaded) {
    return; // pasted twice: one widget is enough
  }
  window.__backcareWidgetLoaded = true;
  var scriptUrl = new URL(script.src, document.baseURI);
  var channelBase = new URL("../", scriptUrl); // .../webhooks/webchat/
  var server = new URL(script.getAttribute("data-server") || scriptUrl.origin);
  var mode = script.getAttribute("data-mode") === "page" ? "page" : "launcher";
  var storageKey = "backcare:" + server.origin + ":";
  var MAX_ENTRIES = 200;
  var TYPING_TIMEOUT_MS = 20000;
  var SAFE_PROTOCOLS = ["http:", "https:", "tel:"];

  // ---- storage (falls back to memory where localStorage is blocked) ----
  var memory = {};
  function load(name, fallback) {
    var raw = null;
    try {
      raw = window.localStorage.getItem(storageKey + name);
    } catch (e) {
      raw = Object.prototype.hasOwnProperty.call(memory, name) ? memory[name] : null;
    }
    if (raw === null || raw === undefined) {
      return fallback;
    }
    try {
      return JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }
  function save(name, value) {
    var raw = JSON.stringify(value);
    try {
      window.localStorage.setItem(storageKey + name, raw);
    } catch (e) {
      memory[name] = raw;
    }
  }

  // The conversation id is minted and signed by the server; the widget only keeps it.
  var SESSION_ID = /^[0-9a-f]{32}\.[0-9a-f]{24}$/;
  var sessionId = load("session", null);
  if (typeof sessionId !== "string" || !SESSION_ID.test(sessionId)) {
    sessionId = null;
  }
  var transcript = load("transcript", []);
  if (!Array.isArray(transcript)) {
    transcript = [];
  }

  // ---- DOM helpers ----
  var uid = 0;
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.appendChild(document.createTextNode(String(text)));
    }
    return node;
  }
  function newId(prefix) {
    uid += 1;
    return "bc-" + prefix + "-" + uid;
  }

  function safeHref(raw) {
    try {
      var url = new URL(raw);
      return SAFE_PROTOCOLS.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  var S = {}; // words from strings.json

  function link(href, label) {
    var a = el("a", "bc-link", label);
    a.href = href;
    if (href.indexOf("tel:") !== 0) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      if (S.link_opens_new_tab) {
        a.appendChild(el("span", "bc-sr", " " + S.link_opens_new_tab));
      }
    }
    return a;
  }

  // **bold**, [title](url) and bare http(s) addresses; everything else is plain text.
  var INLINE = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'])/g;
  function appendInline(parent, text) {
    var last = 0;
    var match;
    INLINE.lastIndex = 0;
    while ((match = INLINE.exec(text)) !== null) {
      if (match.index > last) {
        parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      }
      if (match[1] !== undefined) {
        parent.appendChild(el("strong", null, match[1]));
      } else {
        var target = match[3] !== undefined ? match[3] : match[4];
        var label = match[2] !== undefined ? match[2] : match[4];
        var href = safeHref(target);
        parent.appendChild(href ? link(href, label) : document.createTextNode(match[0]));
      }
      last = INLINE.lastIndex;
    }
    if (last < text.length) {
      parent.appendChild(document.createTextNode(text.slice(last)));
    }
  }

  var BULLET = /^\s*[-*\u2022]\s+(.*)$/;
  var NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
  function appendFormatted(parent, text) {
    var lines = String(text || "").split(/\r?\n/);
    var list = null;
    var listKind = null;
    var paragraph = null;
    lines.forEach(function (line) {
      var bullet = BULLET.exec(line);
      var numbered = bullet ? null : NUMBERED.exec(line);
      if (bullet || numbered) {
        var kind = bullet ? "ul" : "ol";
        if (!list || listKind !== kind) {
          list = el(kind, "bc-list");
          listKind = kind;
          parent.appendChild(list);
        }
        var item = el("li");
        appendInline(item, (bullet || numbered)[1]);
        list.appendChild(item);
        paragraph = null;
        return;
      }
      list = null;
      if (!line.trim()) {
        paragraph = null;
        return;
      }
      if (paragraph) {
        paragraph.appendChild(el("br"));
      } else {
        paragraph = el("p", "bc-p");
        parent.appendChild(paragraph);
      }
      appendInline(paragraph, line);
    });
  }

  // ---- building the widget ----
  var ui = {};
  var socket = null;
  var ready = false;
  var everConnected = false;
  var queue = [];
  var typingTimer = null;

  // The connection state is also shown on the root element (data-connection), so the
  // page around the widget, and tests, can see it without running script in the page.
  function setReady(value) {
    ready = value;
    if (ui.root) {
      ui.root.setAttribute("data-connection", value ? "ready" : "waiting");
    }
  }

  function build() {
    var root = el("div", "bc-root bc-root--" + mode);
    root.setAttribute("data-backcare", "");
    root.setAttribute("data-connection", "waiting");
    ui.root = root;
    var panelId = newId("panel");
    var titleId = newId("title");

    if (mode === "launcher") {
      ui.launcher = el("button", "bc-launcher", S.launcher_label);
      ui.launcher.type = "button";
      ui.launcher.setAttribute("aria-label", S.launcher_open);
      ui.launcher.setAttribute("aria-expanded", "false");
      ui.launcher.setAttribute("aria-controls", panelId);
      ui.launcher.addEventListener("click", function () {
        setOpen(true);
      });
      root.appendChild(ui.launcher);
    }

    var panel = el("section", "bc-panel");
    panel.id = panelId;
    panel.setAttribute("aria-labelledby", titleId);
    if (mode === "launcher") {
      panel.setAttribute("role", "dialog");
      panel.hidden = true;
    }
    ui.panel = panel;

    var header = el("header", "bc-header");
    var titles = el("div", "bc-titles");
    var title = el("h2", "bc-title", S.title);
    title.id = titleId;
    titles.appendChild(title);
    titles.appendChild(el("p", "bc-subtitle", S.subtitle));
    header.appendChild(titles);
    var restart = el("button", "bc-button bc-button--quiet bc-restart", S.restart);
    restart.type = "button";
    restart.addEventListener("click", startAgain);
    header.appendChild(restart);
    if (mode === "launcher") {
      var close = el("button", "bc-button bc-button--quiet bc-close");
      close.type = "button";
      close.setAttribute("aria-label", S.close);
      var cross = el("span", null, "\u00d7");
      cross.setAttribute("aria-hidden", "true");
      close.appendChild(cross);
      close.addEventListener("click", function () {
        setOpen(false);
      });
      header.appendChild(close);
    }
    panel.appendChild(header);

    ui.status = el("p", "bc-status");
    ui.status.setAttribute("role", "status");
    panel.appendChild(ui.status);

    ui.log = el("div", "bc-log");
    ui.log.setAttribute("role", "log");
    ui.log.setAttribute("aria-live", "polite");
    ui.log.setAttribute("aria-label", S.conversation);
    ui.log.tabIndex = 0;
    panel.appendChild(ui.log);

    ui.empty = el("p", "bc-empty", S.empty);
    ui.log.appendChild(ui.empty);

    ui.typing = el("div", "bc-typing");
    ui.typing.setAttribute("role", "status");
    ui.typing.hidden = true;
    ui.typing.appendChild(el("span", "bc-sr", S.typing));
    var dots = el("span", "bc-dots");
    dots.setAttribute("aria-hidden", "true");
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    ui.typing.appendChild(dots);
    panel.appendChild(ui.typing);

    var form = el("form", "bc-form");
    form.setAttribute("novalidate", "");
    var inputId = newId("input");
    var label = el("label", "bc-sr", S.input_label);
    label.htmlFor = inputId;
    ui.input = el("input", "bc-input");
    ui.input.id = inputId;
    ui.input.type = "text";
    ui.input.autocomplete = "off";
    ui.input.maxLength = 4000;
    ui.input.placeholder = S.placeholder;
    ui.send = el("button", "bc-button bc-send", S.send);
    ui.send.type = "submit";
    form.appendChild(label);
    form.appendChild(ui.input);
    form.appendChild(ui.send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (!text) {
        ui.input.focus();
        return;
      }
      ui.input.value = "";
      sendMessage(text, text);
      ui.input.focus();
    });
    panel.appendChild(form);

    var emergency = el("p", "bc-emergency");
    appendEmergencyLine(emergency);
    panel.appendChild(emergency);

    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && mode === "launcher") {
        setOpen(false);
      }
    });
    root.appendChild(panel);
    return root;
  }

  // The standing line, with the number as a tel: link so a phone can call it.
  function appendEmergencyLine(parent) {
    var line = S.emergency_line || "";
    var number = S.emergency_number || "";
    var at = number ? line.indexOf(number) : -1;
    if (at < 0) {
      parent.appendChild(document.createTextNode(line));
      return;
    }
    parent.appendChild(document.createTextNode(line.slice(0, at)));
    var call = link("tel:" + number.replace(/[^0-9+]/g, ""), number);
    call.className = "bc-link bc-tel";
    if (S.call_link) {
      call.setAttribute("aria-label", S.call_link);
    }
    parent.appendChild(call);
    parent.appendChild(document.createTextNode(line.slice(at + number.length)));
  }

  function setOpen(open) {
    if (mode !== "launcher") {
      return;
    }
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    save("open", open);
    if (open) {
      connect();
      scrollToEnd();
      ui.input.focus();
    } else {
      ui.launcher.focus();
    }
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // ---- transcript rendering ----
  function renderEntry(entry, index, live) {
    if (ui.empty.parentNode) {
      ui.empty.parentNode.removeChild(ui.empty);
    }
    var item = el("div", "bc-msg bc-msg--" + (entry.who === "user" ? "user" : "bot"));
    item.setAttribute("data-index", String(index));
    if (entry.from === "care_team") {
      // Written by a person from the patient's care team, not by the assistant.
      item.className += " bc-msg--care-team";
      item.appendChild(el("p", "bc-from", S.care_team));
    } else {
      item.appendChild(el("span", "bc-sr", (entry.who === "user" ? S.you : S.bot) + ": "));
    }
    if (entry.urgency) {
      item.className += " bc-msg--urgent";
      item.setAttribute("data-urgency", entry.urgency);
      if (live) {
        // Announced at once, interrupting; history re-rendered on reload is not.
        item.setAttribute("role", "alert");
      }
      item.appendChild(el("strong", "bc-badge", S.urgent_badge));
    }
    var body = el("div", "bc-msg__body");
    appendFormatted(body, entry.text);
    if (entry.image) {
      var src = safeHref(entry.image);
      if (src && src.indexOf("tel:") !== 0) {
        var img = el("img", "bc-image");
        img.src = src;
        img.alt = "";
        body.appendChild(img);
      }
    }
    item.appendChild(body);
    ui.log.appendChild(item);
    if (entry.who === "bot" && entry.replies && entry.replies.length && !entry.used) {
      renderReplies(entry, index);
    }
  }

  function clearReplies() {
    var groups = ui.log.querySelectorAll(".bc-replies");
    Array.prototype.forEach.call(groups, function (group) {
      group.parentNode.removeChild(group);
    });
  }

  function renderReplies(entry, index) {
    clearReplies();
    var group = el("div", "bc-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", S.quick_replies);
    entry.replies.forEach(function (reply) {
      var button = el("button", "bc-button bc-reply", reply.title);
      button.type = "button";
      button.addEventListener("click", function () {
        transcript[index].used = true;
        save("transcript", transcript);
        clearReplies();
        sendMessage(reply.title, reply.payload);
        ui.input.focus();
      });
      group.appendChild(button);
    });
    ui.log.appendChild(group);
  }

  function addEntry(entry, live) {
    transcript.forEach(function (old) {
      if (old.replies && old.replies.length) {
        old.used = true; // only the latest offer can be answered with a button
      }
    });
    transcript.push(entry);
    if (transcript.length > MAX_ENTRIES) {
      transcript = transcript.slice(transcript.length - MAX_ENTRIES);
      rerender();
    } else {
      clearReplies();
      renderEntry(entry, transcript.length - 1, live);
    }
    save("transcript", transcript);
    scrollToEnd();
  }

  function rerender() {
    while (ui.log.firstChild) {
      ui.log.removeChild(ui.log.firstChild);
    }
    if (!transcript.length) {
      ui.log.appendChild(ui.empty);
    }
    transcript.forEach(function (entry, index) {
      renderEntry(entry, index, false);
    });
    scrollToEnd();
  }

  function setTyping(on) {
    ui.typing.hidden = !on;
    if (typingTimer) {
      clearTimeout(typingTimer);
      typingTimer = null;
    }
    if (on) {
      typingTimer = setTimeout(function () {
        ui.typing.hidden = true;
      }, TYPING_TIMEOUT_MS);
    }
  }

  function setStatus(text) {
    ui.status.textContent = text || "";
    ui.status.hidden = !text;
  }

  // ---- talking to the server ----
  function sendMessage(shown, payload) {
    addEntry({ who: "user", text: shown }, true);
    if (ready && socket) {
      socket.emit("user_uttered", { message: payload, session_id: sessionId });
    } else {
      queue.push(payload);
      setStatus(S.offline_queue);
    }
    setTyping(true);
  }

  function onBotMessage(message) {
    if (!message || typeof message !== "object") {
      return;
    }
    var replies = [];
    var offered = message.quick_replies || message.buttons || [];
    if (Array.isArray(offered)) {
      offered.forEach(function (b) {
        if (b && typeof b.title === "string" && typeof b.payload === "string") {
          replies.push({ title: b.title, payload: b.payload });
        }
      });
    }
    var image = null;
    var attachment = message.attachment;
    if (attachment && attachment.type === "image" && attachment.payload) {
      image = attachment.payload.src || null;
    }
    var text = typeof message.text === "string" ? message.text : "";
    if (!text && !replies.length && !image) {
      return;
    }
    var urgency = message.urgency === "emergency" || message.urgency === "urgent"
      ? message.urgency
      : null;
    setTyping(false);
    var entry = { who: "bot", text: text, replies: replies, urgency: urgency, image: image };
    if (message.from === "care_team") {
      entry.from = "care_team";
    }
    addEntry(entry, true);
  }

  function connect() {
    if (socket || typeof window.io !== "function") {
      return;
    }
    setStatus(S.connecting);
    socket = window.io(server.origin, {
      path: S.socket_path || "/socket.io",
      // WebSocket only: works from any site that embeds the widget without CORS set-up.
      transports: ["websocket"],
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (confirmed) {
      if (typeof confirmed === "string" && SESSION_ID.test(confirmed) && confirmed !== sessionId) {
        if (sessionId !== null && transcript.length) {
          // The server started a new conversation: the old transcript is not part of it.
          transcript = [];
          save("transcript", transcript);
          rerender();
        }
        sessionId = confirmed;
        save("session", sessionId);
      }
      setReady(true);
      everConnected = true;
      setStatus("");
      var pending = queue;
      queue = [];
      pending.forEach(function (payload) {
        socket.emit("user_uttered", { message: payload, session_id: sessionId });
      });
    });
    socket.on("disconnect", function () {
      setReady(false);
      setStatus(everConnected ? S.reconnecting : S.connecting);
    });
    socket.on("connect_error", function () {
      setStatus(everConnected ? S.reconnecting : S.connecting);
    });
    socket.on("bot_uttered", onBotMessage);
    // The conversation was opened in another window: this one stops, and says so.
    socket.on("session_taken_over", function () {
      setReady(false);
      socket.io.opts.reconnection = false;
      socket.disconnect();
      setStatus(S.taken_over || "");
    });
  }

  function startAgain() {
    if (S.restart_confirm && !window.confirm(S.restart_confirm)) {
      return;
    }
    transcript = [];
    save("transcript", transcript);
    sessionId = null;
    save("session", sessionId);
    queue = [];
    setTyping(false);
    rerender();
    if (socket) {
      // A new connection joins only the new conversation's room.
      setReady(false);
      socket.disconnect();
      socket.connect();
    }
    ui.input.focus();
  }

  // ---- start ----
  function ensureStylesheet() {
    var href = new URL("static/widget.css", channelBase).href;
    var present = Array.prototype.some.call(
      document.querySelectorAll('link[rel="stylesheet"]'),
      function (node) {
        return node.href === href;
      }
    );
    if (!present) {
      var sheet = document.createElement("link");
      sheet.rel = "stylesheet";
      sheet.href = href;
      document.head.appendChild(sheet);
    }
  }

  function ensureSocketIo(done) {
    // socket.io v3+ speaks protocol 5; an older copy on the host page cannot talk to us.
    if (typeof window.io === "function" && window.io.protocol >= 5) {
      done();
      return;
    }
    var tag = document.createElement("script");
    tag.src = new URL("static/vendor/socket.io-client/socket.io.min.js", channelBase).href;
    tag.onload = done;
    document.head.appendChild(tag);
  }

  function fetchStrings(done) {
    var cached = load("strings", null);
    var finished = false;
    function finish(words) {
      if (!finished) {
        finished = true;
        done(words);
      }
    }
    window
      .fetch(new URL("strings.json", channelBase).href, { credentials: "omit" })
      .then(function (reply) {
        if (!reply.ok) {
          throw new Error("strings.json: HTTP " + reply.status);
        }
        return reply.json();
      })
      .then(function (data) {
        var words = Object.assign({}, data.strings || {});
        words.emergency_line = data.emergency_line;
        words.emergency_number = data.emergency_number;
        words.socket_path = data.socket_path;
        save("strings", words);
        finish(words);
      })
      .catch(function () {
        if (cached) {
          finish(cached); // the server is restarting: the last words seen will do
        } else {
          setTimeout(function () {
            fetchStrings(done);
          }, 3000);
        }
      });
  }

  function start() {
    ensureStylesheet();
    fetchStrings(function (words) {
      S = words;
      var root = build();
      if (mode === "page") {
        var target = document.getElementById(script.getAttribute("data-target") || "");
        (target || document.body).appendChild(root);
      } else {
        document.body.appendChild(root);
      }
      rerender();
      ensureSocketIo(function () {
        if (mode === "page") {
          connect();
        } else if (script.getAttribute("data-open") === "true" || load("open", false)) {
          setOpen(true);
        }
      });
      // A small handle for the page and for tests: read-only state and a reconnect.
      window.BackCareWidget = {
        sessionId: function () {
          return sessionId;
        },
        ready: function () {
          return ready;
        },
        reconnect: function () {
          if (socket) {
            setReady(false);
            socket.disconnect();
            socket.connect();
          }
        },
      };
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
