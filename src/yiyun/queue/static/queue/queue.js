// Live queue pages. An element with data-ws listens on that WebSocket; every message asks htmx to
// refresh the element's panel (hx-trigger="queue-refresh"). While the socket is down the panel is
// polled every data-poll seconds, and the socket reconnects on its own (1 s, 2 s, … up to 30 s).
(function () {
  "use strict";

  function showBanner(host, call) {
    var banner = document.querySelector(host.getAttribute("data-banner") || "#call-banner");
    if (!banner) return;
    banner.innerHTML = "";
    var big = document.createElement("div");
    big.className = "sbanner-main";
    big.textContent = "请 " + call.number + " 号 " + call.name;
    var small = document.createElement("div");
    small.className = "sbanner-sub";
    small.textContent = "到 " + (call.room || "诊室") + " 就诊 · " + call.doctor + " 医生" + (call.recall ? "（重呼）" : "");
    banner.appendChild(big);
    banner.appendChild(small);
    banner.hidden = false;
    banner.classList.remove("flash");
    void banner.offsetWidth; // restart the animation
    banner.classList.add("flash");
    clearTimeout(banner._hideTimer);
    banner._hideTimer = setTimeout(function () { banner.hidden = true; }, 15000);
  }

  function live(host) {
    var path = host.getAttribute("data-ws");
    var poll = (parseInt(host.getAttribute("data-poll"), 10) || 15) * 1000;
    var backoff = 1000;
    var timer = null;

    function refresh() { if (window.htmx) window.htmx.trigger(host, "queue-refresh"); }
    function startPolling() {
      host.setAttribute("data-live", "0");
      if (!timer) timer = setInterval(refresh, poll);
    }
    function stopPolling() {
      host.setAttribute("data-live", "1");
      if (timer) { clearInterval(timer); timer = null; }
    }
    function connect() {
      var socket;
      try {
        socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path);
      } catch (e) {
        startPolling();
        return;
      }
      socket.onopen = function () { backoff = 1000; stopPolling(); refresh(); };
      socket.onmessage = function (message) {
        var data = {};
        try { data = JSON.parse(message.data); } catch (e) { /* a refresh is still right */ }
        if (data.event === "call") showBanner(host, data);
        if (data.event === "called" && navigator.vibrate) navigator.vibrate([300, 100, 300]);
        refresh();
      };
      socket.onclose = function () {
        startPolling();
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 30000);
      };
    }
    startPolling();
    connect();
  }

  function tickClocks() {
    var now = new Date();
    var text = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
    document.querySelectorAll("[data-clock]").forEach(function (el) { el.textContent = text; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-ws]").forEach(live);
    if (document.querySelector("[data-clock]")) { tickClocks(); setInterval(tickClocks, 10000); }
  });
})();
