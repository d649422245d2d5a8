// Small progressive enhancements; every page works without them.
(function () {
  // SMS code button: count down after a code was sent (the server enforces the real limit).
  document.addEventListener("htmx:afterRequest", function (event) {
    var btn = event.detail.elt;
    if (!btn || !btn.matches("[data-countdown]") || !event.detail.successful) return;
    var left = parseInt(btn.getAttribute("data-countdown"), 10) || 60;
    var label = btn.textContent;
    btn.disabled = true;
    var timer = setInterval(function () {
      left -= 1;
      btn.textContent = left + "s";
      if (left <= 0) { clearInterval(timer); btn.disabled = false; btn.textContent = label; }
    }, 1000);
  });
  // Fill birth date and sex from a complete ID number (the server checks them again).
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches("[data-id-number]")) return;
    var v = input.value.trim().toUpperCase();
    if (!/^\d{17}[\dX]$/.test(v)) return;
    var form = input.form;
    var birth = form.querySelector("[name=birth_date]");
    var sex = form.querySelector("[name=sex]");
    if (birth && !birth.value) birth.value = v.slice(6, 10) + "-" + v.slice(10, 12) + "-" + v.slice(12, 14);
    if (sex && !sex.value) sex.value = parseInt(v.charAt(16), 10) % 2 ? "M" : "F";
  });
})();
// Countdowns: <span data-countdown-to="ISO time" data-reload>…</span> (release time 放号, payment deadline).
(function () {
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function tick() {
    var nodes = document.querySelectorAll("[data-countdown-to]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var left = Math.floor((new Date(node.getAttribute("data-countdown-to")) - new Date()) / 1000);
      if (left <= 0) {
        node.textContent = node.getAttribute("data-done") || "0:00";
        if (node.hasAttribute("data-reload") && !node.dataset.reloaded) { node.dataset.reloaded = "1"; setTimeout(function () { location.reload(); }, 800); }
        continue;
      }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      node.textContent = (d ? d + "天" : "") + (d || h ? pad(h) + ":" : "") + pad(m) + ":" + pad(s);
    }
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
})();
