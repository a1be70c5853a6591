// Preview only: shows build errors over the page, and removes them once the build is good.
(function () {
  "use strict";
  var PROTOCOL = "https://chronicle.invalid/protocols/overlay-1";
  var box = null;
  var delay = 250;

  function show(lines) {
    if (!document.body) {  // loaded async: a message may come before the page is parsed
      document.addEventListener("DOMContentLoaded", function () { show(lines); });
      return;
    }
    if (!lines.length) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "chronicle-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,16,16,.94);color:#ffd7d7;padding:2rem;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("h2");
    title.textContent = "The site did not build";
    title.style.cssText = "color:#fff;font:600 18px/1.3 system-ui,sans-serif;margin:0 0 1rem";
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;margin:0";
    list.textContent = lines.join("\n");
    box.appendChild(title);
    box.appendChild(list);
  }

  function connect() {
    var socket = new WebSocket("ws://" + location.host + "/livereload");
    socket.onopen = function () {
      delay = 250;
      socket.send(JSON.stringify({ command: "hello", protocols: [PROTOCOL] }));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.command === "problems") { show(message.lines); }
    };
    socket.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }
  connect();
})();
