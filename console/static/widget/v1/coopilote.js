/*! Coopilote chat widget v1 — one <script> tag, no build step; see docs/widget.md.
 *
 * Talks to Coopilote's Rasa socket.io channel (session_request → session_confirm, user_uttered →
 * bot_uttered). Every text from the user or the bot goes into the page with DOM APIs
 * (textContent, createElement), never as HTML.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || window.__coopiloteWidget) return;
  window.__coopiloteWidget = true;

  const BASE = new URL(".", script.src).href; // …/widget/v1/
  const SOCKET_IO = `${BASE}vendor/socket.io-client-4.8.4/socket.io.esm.min.js`;
  const LANGUAGES = ["fr", "en"];
  const KEY = "coopilote.v1."; // storage key prefix
  const MAX_HISTORY = 200;
  const MAX_CHARS = 2000;
  const ANSWER_TIMEOUT_MS = 45000;
  const GREETING = "/greet";
  const SWITCH_PAYLOAD = /^\/switch_language\s*\{\s*"language"\s*:\s*"(fr|en)"\s*\}\s*$/;
  const SVG = "http://www.w3.org/2000/svg";

  // ---------------------------------------------------------------- options (data-* attributes)
  const data = script.dataset;
  const options = {
    server: (data.server || `${location.protocol}//${location.hostname}:5005`).replace(/\/+$/, ""),
    path: data.path || "/socket.io",
    lang: normaliseLanguage(data.lang),
    title: data.title || "",
    position: data.position === "left" ? "left" : "right",
    color: data.color || "",
    colorText: data.colorText || "",
    privacyUrl: data.privacyUrl || "",
  };

  // ---------------------------------------------------------------- storage (may be blocked)
  const store = {
    get(area, name) {
      try {
        return window[area].getItem(KEY + name);
      } catch (_) {
        return null;
      }
    },
    set(area, name, value) {
      try {
        window[area].setItem(KEY + name, value);
      } catch (_) {
        /* private mode or full: the widget still works, it forgets on reload */
      }
    },
    clear() {
      for (const area of ["localStorage", "sessionStorage"]) {
        try {
          const storage = window[area];
          for (let i = storage.length - 1; i >= 0; i -= 1) {
            const name = storage.key(i);
            if (name && name.startsWith(KEY)) storage.removeItem(name);
          }
        } catch (_) {
          /* nothing kept */
        }
      }
    },
  };

  // The server issues conversation ids (web-<random>-<expiry>-<signature>) and refuses others:
  // an empty id asks it for a new one. The expiry (hex seconds) is the end of the retention
  // period of a conversation; past it, the stored id and the history shown are dropped.
  const NO_SESSION = "";

  function sessionExpiry(id) {
    const parts = String(id || "").split("-");
    return parts.length === 4 && parts[0] === "web" ? parseInt(parts[2], 16) * 1000 : 0;
  }

  function storedSession() {
    const id = store.get("localStorage", "session");
    if (id && sessionExpiry(id) > Date.now()) return id;
    if (id) store.clear(); // expired, or from an older widget: its history goes with it
    return NO_SESSION;
  }

  function normaliseLanguage(value) {
    const code = String(value || "").trim().toLowerCase().split(/[-_]/)[0];
    return LANGUAGES.includes(code) ? code : "";
  }

  function initialLanguage() {
    const candidates = [
      store.get("localStorage", "lang"),
      options.lang,
      document.documentElement.lang,
      ...(navigator.languages || [navigator.language]),
    ];
    for (const candidate of candidates) {
      const code = normaliseLanguage(candidate);
      if (code) return code;
    }
    return "fr";
  }

  function loadHistory() {
    try {
      const parsed = JSON.parse(store.get("localStorage", "history") || "[]");
      return Array.isArray(parsed) ? parsed.filter((m) => m && typeof m.text === "string") : [];
    } catch (_) {
      return [];
    }
  }

  // ---------------------------------------------------------------- state
  const state = {
    lang: initialLanguage(),
    texts: {},
    sessionId: storedSession(),
    history: loadHistory(),
    open: store.get("sessionStorage", "open") === "1",
    socket: null,
    confirmed: false,
    hadError: false,
    greetingSent: false,
    pending: [], // messages typed while disconnected
    answerTimer: 0,
  };
  store.set("localStorage", "session", state.sessionId);

  async function loadTexts(lang) {
    if (!state.texts[lang]) {
      const reply = await fetch(`${BASE}i18n/${lang}.json`, { credentials: "omit" });
      state.texts[lang] = await reply.json();
    }
    return state.texts[lang];
  }

  function t(name) {
    const texts = state.texts[state.lang] || {};
    return texts[name] || name;
  }

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value == null) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function icon(paths, size = 24) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    for (const d of paths) {
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      svg.append(path);
    }
    return svg;
  }

  const ICONS = {
    chat: ["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"],
    close: ["M6 6l12 12M18 6L6 18"],
    send: ["M3 20l18-8L3 4v6l12 2-12 2z"],
    restart: ["M4 12a8 8 0 1 0 2.3-5.7M4 4v4.5h4.5"],
  };

  /** Safe, simple formatting: **bold**, "- " lists, line breaks, http(s) links. */
  function renderRich(text, parent) {
    const lines = text.replace(/\r\n?/g, "\n").split("\n");
    let list = null;
    let paragraph = null;
    for (const line of lines) {
      const item = /^\s*[-•*]\s+(.*)$/.exec(line);
      if (item) {
        paragraph = null;
        if (!list) list = parent.appendChild(el("ul"));
        renderInline(item[1], list.appendChild(el("li")));
      } else if (!line.trim()) {
        list = null;
        paragraph = null;
      } else {
        list = null;
        if (paragraph) paragraph.append(el("br"));
        else paragraph = parent.appendChild(el("p"));
        renderInline(line, paragraph);
      }
    }
  }

  const INLINE = /\*\*(.+?)\*\*|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"]+)/g;

  function renderInline(text, parent, inBold = false) {
    let last = 0;
    INLINE.lastIndex = 0;
    const matches = Array.from(text.matchAll(INLINE));
    for (const match of matches) {
      parent.append(text.slice(last, match.index));
      last = match.index + match[0].length;
      if (match[1] !== undefined && !inBold) {
        const strong = parent.appendChild(el("strong"));
        renderInline(match[1], strong, true);
      } else if (match[1] !== undefined) {
        parent.append(match[0]);
      } else if (match[2] !== undefined) {
        parent.append(link(match[3], match[2]));
      } else {
        // A bare URL: trailing punctuation belongs to the sentence.
        const url = match[4].replace(/[.,;:!?)»]+$/, "");
        parent.append(link(url, url), match[4].slice(url.length));
      }
    }
    parent.append(text.slice(last));
  }

  function link(href, label) {
    let url;
    try {
      url = new URL(href);
    } catch (_) {
      return document.createTextNode(label);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return document.createTextNode(label);
    }
    return el(
      "a",
      { href: url.href, target: "_blank", rel: "noopener" },
      label,
      el("span", { class: "cp-sr", text: ` ${t("new_tab")}` }),
    );
  }

  // ---------------------------------------------------------------- colours
  function parseColour(value) {
    if (!value || !CSS.supports("color", value)) return null;
    const probe = document.createElement("span");
    probe.style.color = value;
    probe.style.display = "none";
    document.body.append(probe);
    const rgb = getComputedStyle(probe).color.match(/[\d.]+/g);
    probe.remove();
    return rgb ? rgb.slice(0, 3).map(Number) : null;
  }

  function luminance(rgb) {
    const [r, g, b] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function contrast(a, b) {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }

  /** The brand colour, and a text colour on it that keeps at least 4.5:1 (WCAG AA). */
  function applyColours(host) {
    const brand = parseColour(options.color);
    if (!brand) return;
    host.style.setProperty("--cp-primary", options.color);
    const wanted = parseColour(options.colorText);
    const white = [255, 255, 255];
    const dark = [26, 26, 26];
    let text = contrast(brand, white) >= contrast(brand, dark) ? "#ffffff" : "#1a1a1a";
    if (wanted && contrast(brand, wanted) >= 4.5) text = options.colorText;
    host.style.setProperty("--cp-on-primary", text);
    // The brand colour is also used for links and focus rings on white: darken if too light.
    if (contrast(brand, white) < 4.5) host.style.setProperty("--cp-accent", "#1a1a1a");
    else host.style.setProperty("--cp-accent", options.color);
  }

  // ---------------------------------------------------------------- the interface
  const ui = {};

  function build() {
    const host = el("div", { id: "coopilote-widget" });
    host.hidden = true; // shown once its stylesheet has loaded
    applyColours(host);
    const root = host.attachShadow({ mode: "open" });
    const stylesheet = el("link", { rel: "stylesheet", href: `${BASE}coopilote.css` });
    stylesheet.addEventListener("load", () => {
      host.hidden = false;
    });
    stylesheet.addEventListener("error", () => {
      host.hidden = false;
    });

    ui.title = el("h2", { id: "cp-title", class: "cp-title" });
    ui.subtitle = el("p", { class: "cp-subtitle" });
    ui.langButton = el("button", {
      type: "button",
      class: "cp-tool cp-lang",
      onclick: switchLanguage,
    });
    ui.newButton = el(
      "button",
      { type: "button", class: "cp-tool cp-new", onclick: newConversation },
      icon(ICONS.restart, 18),
      (ui.newLabel = el("span", { class: "cp-tool-label" })),
    );
    ui.closeButton = el(
      "button",
      { type: "button", class: "cp-tool cp-close", onclick: () => setOpen(false, true) },
      icon(ICONS.close, 20),
    );
    ui.status = el("div", { class: "cp-status", role: "status" });
    ui.log = el("div", { class: "cp-log", role: "log", tabindex: "0", id: "cp-log" });
    ui.typing = el(
      "div",
      { class: "cp-typing", hidden: true },
      el("span", { class: "cp-dot", "aria-hidden": "true" }),
      el("span", { class: "cp-dot", "aria-hidden": "true" }),
      el("span", { class: "cp-dot", "aria-hidden": "true" }),
      (ui.typingText = el("span", { class: "cp-sr" })),
    );
    ui.typingStatus = el("div", { class: "cp-sr", role: "status" });
    ui.replies = el("div", { class: "cp-replies", role: "group", hidden: true });
    ui.inputLabel = el("label", { for: "cp-input", class: "cp-sr" });
    ui.input = el("textarea", {
      id: "cp-input",
      class: "cp-input",
      rows: "1",
      maxlength: String(MAX_CHARS),
      autocomplete: "off",
      onkeydown: onInputKey,
    });
    ui.sendButton = el("button", { type: "submit", class: "cp-send" }, icon(ICONS.send, 20));
    ui.form = el(
      "form",
      { class: "cp-form", onsubmit: onSubmit },
      ui.inputLabel,
      ui.input,
      ui.sendButton,
    );
    ui.privacyLabel = el("span");
    ui.privacyTab = el("span", { class: "cp-sr" });
    ui.privacy = el(
      "a",
      { class: "cp-privacy", target: "_blank", rel: "noopener" },
      ui.privacyLabel,
      ui.privacyTab,
    );
    ui.panel = el(
      "div",
      {
        class: "cp-panel",
        id: "cp-panel",
        role: "dialog",
        "aria-labelledby": "cp-title",
        hidden: true,
        onkeydown: onPanelKey,
      },
      el(
        "div",
        { class: "cp-header" },
        el("div", { class: "cp-heading" }, ui.title, ui.subtitle),
        ui.closeButton,
      ),
      el("div", { class: "cp-toolbar" }, ui.langButton, ui.newButton),
      ui.status,
      ui.log,
      ui.typing,
      ui.typingStatus,
      ui.replies,
      ui.form,
      el("p", { class: "cp-footer" }, ui.privacy),
    );
    ui.launcherLabel = el("span", { class: "cp-sr" });
    ui.launcher = el(
      "button",
      {
        type: "button",
        class: "cp-launcher",
        "aria-controls": "cp-panel",
        "aria-expanded": "false",
        onclick: () => setOpen(!state.open, true),
      },
      icon(ICONS.chat, 28),
      icon(ICONS.close, 26),
      ui.launcherLabel,
    );
    ui.root = el("div", { class: `cp cp-${options.position}` }, ui.panel, ui.launcher);
    root.append(stylesheet, ui.root);
    document.body.append(host);
    ui.host = host;
    ui.shadow = root;
  }

  function applyTexts() {
    ui.root.setAttribute("lang", state.lang);
    ui.title.textContent = options.title || t("title");
    ui.subtitle.textContent = t("subtitle");
    ui.langButton.textContent = t("switch_to");
    ui.langButton.setAttribute("lang", t("switch_lang"));
    ui.langButton.setAttribute("aria-label", t("switch_to_label"));
    ui.newLabel.textContent = t("new_conversation");
    ui.closeButton.setAttribute("aria-label", t("close"));
    ui.log.setAttribute("aria-label", t("log"));
    ui.typingText.textContent = t("typing");
    ui.replies.setAttribute("aria-label", t("suggestions"));
    ui.inputLabel.textContent = t("input_label");
    ui.input.setAttribute("placeholder", t("placeholder"));
    ui.sendButton.setAttribute("aria-label", t("send"));
    ui.privacyLabel.textContent = t("privacy");
    ui.privacyTab.textContent = ` ${t("new_tab")}`;
    const privacyPath = state.lang === "fr" ? "/confidentialite" : "/privacy";
    ui.privacy.href = options.privacyUrl || new URL(privacyPath, BASE).href;
    ui.launcherLabel.textContent = state.open ? t("close") : t("open");
    for (const node of ui.log.querySelectorAll(".cp-who")) {
      node.textContent = node.dataset.who === "user" ? t("you") : t("bot");
    }
  }

  function setStatus(text, kind) {
    ui.status.textContent = text || "";
    ui.status.dataset.kind = kind || "";
  }

  // ---------------------------------------------------------------- messages
  function renderMessage(message) {
    const who = message.who === "user" ? "user" : "bot";
    const bubble = el(
      "div",
      { class: `cp-msg cp-${who}`, lang: message.lang || state.lang },
      el("span", {
        class: "cp-sr cp-who",
        "data-who": who,
        text: who === "user" ? t("you") : t("bot"),
      }),
    );
    if (who === "bot") renderRich(message.text, bubble);
    else bubble.append(el("p", { text: message.text }));
    ui.log.append(bubble);
    return bubble;
  }

  function renderReplies(buttons) {
    ui.replies.replaceChildren();
    const usable = (buttons || []).filter(
      (b) => b && typeof b.title === "string" && typeof b.payload === "string",
    );
    ui.replies.hidden = usable.length === 0;
    for (const button of usable) {
      ui.replies.append(
        el("button", {
          type: "button",
          class: "cp-reply",
          text: button.title,
          onclick: () => chooseReply(button),
        }),
      );
    }
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function remember(message) {
    for (const old of state.history) delete old.buttons;
    state.history.push(message);
    const excess = state.history.length - MAX_HISTORY;
    if (excess > 0) state.history.splice(0, excess);
    store.set("localStorage", "history", JSON.stringify(state.history));
  }

  function addMessage(message) {
    remember(message);
    const bubble = renderMessage(message);
    renderReplies(message.buttons);
    scrollToEnd();
    // A long answer is read from its first line, not its last.
    if (bubble.offsetHeight > ui.log.clientHeight) ui.log.scrollTop = bubble.offsetTop - 8;
  }

  function restoreHistory() {
    for (const message of state.history) renderMessage(message);
    const last = state.history[state.history.length - 1];
    renderReplies(last && last.buttons);
  }

  function showTyping(on) {
    ui.typing.hidden = !on;
    ui.typingStatus.textContent = on ? t("typing") : "";
    clearTimeout(state.answerTimer);
    if (on) {
      state.answerTimer = setTimeout(() => {
        showTyping(false);
        setStatus(t("no_answer"), "error");
      }, ANSWER_TIMEOUT_MS);
      scrollToEnd();
    }
  }

  // ---------------------------------------------------------------- sending
  function send(payload) {
    const message = {
      message: payload,
      session_id: state.sessionId,
      metadata: { language: state.lang },
    };
    if (state.socket && state.confirmed) {
      state.socket.emit("user_uttered", message);
      showTyping(true);
    } else {
      state.pending.push(payload);
      if (state.hadError) setStatus(t("queued"), "error");
      connect();
    }
  }

  function sendUserText(text) {
    addMessage({ who: "user", text, lang: state.lang });
    send(text);
  }

  async function chooseReply(button) {
    const switched = SWITCH_PAYLOAD.exec(button.payload);
    if (switched) await setLanguage(switched[1], false);
    addMessage({ who: "user", text: button.title, lang: state.lang });
    send(button.payload);
    ui.input.focus();
  }

  function onSubmit(event) {
    event.preventDefault();
    const text = ui.input.value.trim();
    if (!text) return;
    if (text.length > MAX_CHARS) {
      setStatus(t("too_long"), "error");
      return;
    }
    ui.input.value = "";
    sendUserText(text);
  }

  function onInputKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.form.requestSubmit();
    }
  }

  function onPanelKey(event) {
    if (event.key === "Escape") {
      event.stopPropagation();
      setOpen(false, true);
    }
  }

  // ---------------------------------------------------------------- connection
  async function connect() {
    if (state.socket) return;
    state.socket = "loading";
    let io;
    try {
      ({ io } = await import(SOCKET_IO));
    } catch (_) {
      state.socket = null;
      setStatus(t("offline"), "error");
      return;
    }
    const socket = io(options.server, {
      path: options.path,
      transports: ["websocket", "polling"],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 8000,
      withCredentials: false,
    });
    state.socket = socket;
    socket.on("connect", () => {
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", (id) => {
      const confirmed = typeof id === "string" ? id : id && id.session_id;
      if (confirmed && confirmed !== state.sessionId) {
        // The server did not know the id sent (expired, or not one it issued): this is a new
        // conversation, and what the widget showed of the old one goes.
        const replaced = Boolean(state.sessionId);
        state.sessionId = confirmed;
        store.set("localStorage", "session", confirmed);
        if (replaced) {
          state.history = [];
          store.set("localStorage", "history", "[]");
          ui.log.replaceChildren();
          renderReplies([]);
        }
      }
      state.confirmed = true;
      if (state.hadError) {
        state.hadError = false;
        setStatus(t("reconnected"), "ok");
      } else if (ui.status.dataset.kind === "error") {
        setStatus("");
      }
      const pending = state.pending.splice(0);
      for (const payload of pending) send(payload);
      greetIfNew();
    });
    socket.on("bot_uttered", (message) => {
      if (!message || typeof message !== "object") return;
      showTyping(false);
      const text = typeof message.text === "string" ? message.text : "";
      const buttons = message.quick_replies || message.buttons || [];
      if (!text && !buttons.length) return;
      addMessage({ who: "bot", text, lang: state.lang, buttons });
    });
    // After an erasure on request the server deletes the conversation; the browser's copy goes
    // too, and the next message starts a new conversation. Only the confirmation stays shown.
    socket.on("conversation_erased", () => {
      const last = state.history[state.history.length - 1];
      store.clear();
      state.history = [];
      state.pending = [];
      state.greetingSent = true;
      state.sessionId = NO_SESSION;
      store.set("localStorage", "lang", state.lang);
      store.set("localStorage", "session", state.sessionId);
      store.set("sessionStorage", "open", state.open ? "1" : "0");
      ui.log.replaceChildren();
      if (last && last.who === "bot") addMessage({ who: "bot", text: last.text, lang: last.lang });
      else renderReplies([]);
      setStatus(t("erased"), "ok");
      state.confirmed = false;
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("error_message", () => {
      showTyping(false);
      setStatus(t("server_error"), "error");
    });
    socket.on("disconnect", (reason) => {
      state.confirmed = false;
      if (reason === "io client disconnect") return;
      showTyping(false);
      state.hadError = true;
      setStatus(t("offline"), "error");
    });
    socket.on("connect_error", () => {
      state.confirmed = false;
      state.hadError = true;
      showTyping(false);
      setStatus(t("offline"), "error");
    });
  }

  function greetIfNew() {
    if (!state.open || state.history.length || state.greetingSent || !state.confirmed) return;
    state.greetingSent = true;
    send(GREETING);
  }

  // ---------------------------------------------------------------- controls
  function setOpen(open, moveFocus) {
    state.open = open;
    store.set("sessionStorage", "open", open ? "1" : "0");
    ui.panel.hidden = !open;
    ui.root.classList.toggle("cp-is-open", open);
    ui.launcher.setAttribute("aria-expanded", String(open));
    ui.launcherLabel.textContent = open ? t("close") : t("open");
    if (open) {
      scrollToEnd();
      connect();
      greetIfNew();
      if (moveFocus) ui.input.focus();
    } else if (moveFocus) {
      ui.launcher.focus();
    }
  }

  async function setLanguage(lang, tellBot) {
    if (!LANGUAGES.includes(lang)) return;
    await loadTexts(lang);
    const changed = lang !== state.lang;
    state.lang = lang;
    store.set("localStorage", "lang", lang);
    applyTexts();
    if (changed) setStatus(t("switched"), "ok");
    if (changed && tellBot && (state.history.length || state.greetingSent)) {
      send(`/switch_language{"language": "${lang}"}`);
    }
  }

  function switchLanguage() {
    setLanguage(state.lang === "fr" ? "en" : "fr", true).then(() => ui.langButton.focus());
  }

  function newConversation() {
    store.clear();
    state.history = [];
    state.pending = [];
    state.greetingSent = false;
    state.sessionId = NO_SESSION;
    store.set("localStorage", "session", state.sessionId);
    store.set("sessionStorage", "open", state.open ? "1" : "0");
    ui.log.replaceChildren();
    renderReplies([]);
    showTyping(false);
    setStatus(t("new_conversation_done"), "ok");
    const socket = state.socket;
    if (socket && socket !== "loading") {
      state.confirmed = false;
      if (socket.connected) socket.emit("session_request", { session_id: state.sessionId });
      else socket.connect();
    }
    ui.input.focus();
  }

  // ---------------------------------------------------------------- start
  async function start() {
    try {
      await loadTexts(state.lang);
    } catch (_) {
      return; // the widget's own files are unreachable: stay out of the page
    }
    build();
    applyTexts();
    restoreHistory();
    if (state.open) setOpen(true, false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
