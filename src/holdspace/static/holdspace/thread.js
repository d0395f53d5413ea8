// One thread's live view: catch up by sequence number, post with a client id, follow live.
// Rendering uses textContent only: message text never becomes HTML.
(() => {
  "use strict";
  const root = document.querySelector("[data-thread]");
  if (!root) return;
  const threadId = root.dataset.thread;
  const me = Number(root.dataset.me);
  const list = root.querySelector("[data-messages]");
  const status = root.querySelector("[data-status]");
  const form = root.querySelector("[data-composer]");
  const textarea = form ? form.querySelector("textarea") : null;
  const notice = root.querySelector("[data-notice]");
  const resources = root.querySelector("[data-resources]");
  const announcer = root.querySelector("[data-announcer]");
  const text = JSON.parse(document.getElementById("thread-text").textContent);
  const seen = new Set([...list.querySelectorAll("[data-seq]")].map((li) => Number(li.dataset.seq)));
  const pending = new Map(); // client id -> {body, sendAnyway}: sent, not yet acknowledged
  let lastSeq = Number(root.dataset.lastSeq || 0); // every message up to here is on the page
  let socket = null;
  let attempts = 0;
  let resuming = false;
  let closedForGood = false;

  const newId = () =>
    window.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;

  function setStatus(state, words) {
    status.dataset.state = state;
    status.textContent = words || text[state];
  }

  function send(payload) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(payload));
      return true;
    }
    return false;
  }

  function resume() {
    if (!resuming && send({ type: "resume", after: lastSeq })) resuming = true;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws/threads/${threadId}/`);
    socket.addEventListener("open", () => {
      attempts = 0;
      setStatus("live");
      resuming = false;
      resume();
      for (const [clientId, draft] of pending) post(clientId, draft);
    });
    socket.addEventListener("message", (event) => handle(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      if (closedForGood) return;
      if (event.code === 4403) {
        setStatus("closed", text.forbidden);
        return;
      }
      setStatus("reconnecting");
      const delay = Math.min(10000, 500 * 2 ** attempts++);
      window.setTimeout(connect, delay);
    });
  }

  function handle(event) {
    switch (event.type) {
      case "backlog":
        resuming = false;
        event.messages.forEach((message) => add(message, false));
        lastSeq = Math.max(lastSeq, event.upto);
        if (event.more) resume();
        break;
      case "message":
        add(event.message, event.message.author_id !== me);
        if (event.message.seq === lastSeq + 1) lastSeq = event.message.seq;
        else if (event.message.seq > lastSeq + 1) resume();
        break;
      case "ack":
        pending.delete(event.client_id);
        add(event.message, false);
        clearComposer();
        showResources(event.resources, event.level);
        break;
      case "held":
        pending.delete(event.client_id);
        showHeld(event);
        break;
      case "refused":
        pending.delete(event.client_id);
        showNotice(event.reason, "refused");
        break;
      case "hears":
        updateHears(event.message_id, event.count);
        break;
      case "hidden": {
        const item = list.querySelector(`[data-id="${event.message_id}"]`);
        if (item) item.remove();
        break;
      }
      case "changed":
        refreshState();
        break;
      case "closed":
        closedForGood = true;
        setStatus("closed", event.reason);
        if (form) form.querySelectorAll("textarea, button").forEach((el) => (el.disabled = true));
        socket.close();
        refreshState();
        break;
      default:
        break;
    }
  }

  // The parts of the page around the thread that depend on its state (who joined, whether
  // sharing is invited, the feedback form once it ended) are re-read, without a reload that
  // would lose a draft.
  async function refreshState() {
    const regions = document.querySelectorAll("[data-thread-state]");
    if (!regions.length) return;
    const response = await fetch(location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const region of regions) {
      const replacement = fresh.getElementById(region.id);
      if (!replacement) continue;
      region.replaceWith(replacement);
      if (window.htmx) htmx.process(replacement);
    }
  }

  function add(message, announce) {
    if (seen.has(message.seq)) return;
    seen.add(message.seq);
    const item = render(message);
    const later = [...list.children].find((li) => Number(li.dataset.seq) > message.seq);
    list.insertBefore(item, later || null);
    if (window.htmx) htmx.process(item);
    if (announce) announcer.textContent = `${message.author || text.holdspace}: ${message.body}`;
    if (later === undefined) item.scrollIntoView({ block: "nearest" });
  }

  function render(message) {
    const template = document.getElementById(
      message.kind === "text" ? "message-template" : "notice-template",
    );
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.seq = message.seq;
    item.dataset.id = message.id;
    item.id = `m-${message.id}`;
    if (message.author_id === me) item.classList.add("mine");
    item.querySelector("[data-author]").textContent = message.author || text.holdspace;
    const time = item.querySelector("time");
    time.dateTime = message.created_at;
    time.textContent = new Date(message.created_at).toLocaleTimeString([], {
      hour: "2-digit",
      minute: "2-digit",
    });
    item.querySelector("[data-body]").textContent = message.body;
    const hear = item.querySelector("[data-hear]");
    if (hear) {
      hear.dataset.hear = message.id;
      hear.querySelector("[data-count]").textContent = message.hears || "";
      if (message.author_id === me) hear.remove();
    }
    const report = item.querySelector("form[data-report]");
    if (report) {
      report.setAttribute("hx-post", report.dataset.report.replace("0", message.id));
      if (message.author_id === me) report.closest("details").remove();
    }
    return item;
  }

  function updateHears(messageId, count) {
    const counter = list.querySelector(`[data-hear="${messageId}"] [data-count]`);
    if (counter) counter.textContent = count || "";
  }

  function post(clientId, draft) {
    const sent = send({
      type: "post",
      client_id: clientId,
      body: draft.body,
      send_anyway: draft.sendAnyway,
    });
    if (!sent) showNotice(text.queued, "queued");
  }

  function clearComposer() {
    if (!textarea) return;
    textarea.value = "";
    notice.replaceChildren();
    const coach = root.querySelector("[data-coach]");
    if (coach) coach.replaceChildren();
  }

  function showNotice(words, kind) {
    const p = document.createElement("p");
    p.className = `notice-${kind}`;
    p.textContent = words;
    notice.replaceChildren(p);
  }

  function showHeld(event) {
    const box = document.createElement("div");
    box.className = event.can_send_anyway ? "held held-warn" : "held held-block";
    const lead = document.createElement("p");
    lead.className = "held-lead";
    lead.textContent = event.can_send_anyway ? text.warned : text.held;
    box.append(lead);
    const flags = document.createElement("ul");
    for (const flag of event.flags) {
      const li = document.createElement("li");
      li.className = `flag flag-${flag.severity}`;
      const why = document.createElement("p");
      why.textContent = flag.message;
      const better = document.createElement("p");
      better.className = "suggestion";
      better.textContent = `${text.try_instead} ${flag.suggestion}`;
      li.append(why, better);
      flags.append(li);
    }
    box.append(flags);
    if (event.can_send_anyway) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary";
      button.textContent = text.send_anyway;
      button.addEventListener("click", () => submit(true));
      box.append(button);
    }
    notice.replaceChildren(box);
    lead.tabIndex = -1;
    lead.focus();
  }

  function showResources(found, level) {
    if (!found || !found.length) return;
    const heading = resources.querySelector("h2");
    heading.textContent = level === "imminent" ? text.imminent : text.high;
    const items = resources.querySelector("ul");
    items.replaceChildren();
    if (level === "imminent" && !found.some((resource) => resource.kind === "emergency")) {
      // No country on file: no number to give, but the first thing to do is still the same.
      const li = document.createElement("li");
      li.className = "resource resource-emergency";
      li.textContent = text.local_emergency;
      items.append(li);
    }
    for (const resource of found) {
      const li = document.createElement("li");
      li.className = `resource resource-${resource.kind}`;
      const name = document.createElement("strong");
      name.textContent = resource.name;
      li.append(name);
      for (const [field, scheme] of [["phone", "tel:"], ["text", "sms:"], ["url", ""], ["chat", ""]]) {
        if (!resource[field]) continue;
        const link = document.createElement("a");
        const value = resource[field];
        link.href = scheme ? scheme + value.replace(/[^\d+]/g, "") : value;
        if (!scheme && !/^https?:\/\//.test(value)) link.removeAttribute("href");
        link.textContent = value;
        li.append(" ", link);
      }
      if (resource.hours) li.append(` (${resource.hours})`);
      items.append(li);
    }
    resources.hidden = false;
    heading.tabIndex = -1;
    heading.focus();
  }

  function submit(sendAnyway) {
    const body = textarea.value.trim();
    if (!body) return;
    const clientId = newId();
    const draft = { body, sendAnyway };
    pending.set(clientId, draft);
    post(clientId, draft);
  }

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(false);
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit(false);
      }
    });
  }
  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-hear]");
    if (button) send({ type: "hear", message_id: Number(button.dataset.hear) });
  });

  connect();
})();
