// Moderators' live alerts: each new escalation refreshes the list and is announced.
(() => {
  "use strict";
  const status = document.querySelector("[data-alert-status]");
  const announcer = document.querySelector("[data-alert-announcer]");
  let attempts = 0;

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/alerts/`);
    socket.addEventListener("open", () => {
      attempts = 0;
      status.textContent = status.dataset.live;
      status.dataset.state = "live";
      // Anything raised while we were away is in the refreshed list.
      document.body.dispatchEvent(new Event("alert"));
    });
    socket.addEventListener("message", (event) => {
      const alert = JSON.parse(event.data);
      if (alert.type === "changed") {
        document.body.dispatchEvent(new Event("changed"));
        return;
      }
      const words = alert.for_you ? status.dataset.forYou : status.dataset.new;
      announcer.textContent = `${words}: ${alert.level}`;
      document.body.dispatchEvent(new Event("alert"));
    });
    socket.addEventListener("close", () => {
      status.textContent = status.dataset.reconnecting;
      status.dataset.state = "reconnecting";
      window.setTimeout(connect, Math.min(10000, 500 * 2 ** attempts++));
    });
  }
  connect();
})();
