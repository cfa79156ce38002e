// The zoning workspace: every change (a form or a drag on the map) is posted in the
// background and the server sends the workspace back re-checked and redrawn, so the page
// never reloads. A refused change leaves the plan as it was and shows the reason.
(function () {
  var workspace = document.getElementById("workspace");
  if (!workspace) return;
  var csrf = workspace.getAttribute("data-csrf");
  var busy = false;

  function showMessage(text, isError) {
    var box = workspace.querySelector(".live-message");
    if (!box) return;
    box.textContent = text;
    box.classList.toggle("error", !!isError);
  }

  function send(url, body) {
    if (busy) return;
    busy = true;
    workspace.classList.add("busy");
    var started = performance.now();
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-Live": "1", "X-CSRF-Token": csrf } })
      .then(function (response) {
        return response.text().then(function (text) {
          if (response.ok) {
            workspace.innerHTML = text;
          } else if (response.headers.get("Content-Type") && response.headers.get("Content-Type").indexOf("text/plain") === 0) {
            showMessage(text, true);
          } else {
            showMessage(response.status + " " + response.statusText, true);
          }
          // Read by the browser check, which reports the move round trip.
          workspace.setAttribute("data-roundtrip-ms", (performance.now() - started).toFixed(1));
          workspace.setAttribute("data-updates", String(Number(workspace.getAttribute("data-updates") || 0) + 1));
        });
      })
      .catch(function (error) { showMessage(String(error), true); })
      .then(function () { busy = false; workspace.classList.remove("busy"); });
  }

  workspace.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live")) return;
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) data.set(event.submitter.name, event.submitter.value);
    send(form.action, new URLSearchParams(data));
  });

  function editable() { return !!workspace.querySelector("form[data-live] input[name=kind][value=move]"); }
  function compoundAt(x, y) {
    var element = document.elementFromPoint(x, y);
    return element && element.closest ? element.closest("[data-zoning-map] circle.compound, [data-zoning-map] polygon.zone") : null;
  }

  // Drag a compound onto a compound (or the hull) of another zone to move it there.
  var dragged = null;
  workspace.addEventListener("pointerdown", function (event) {
    var dot = event.target.closest ? event.target.closest("[data-zoning-map] circle.compound") : null;
    if (!dot || !editable()) return;
    dragged = dot;
    dot.classList.add("dragging");
    workspace.classList.add("dragging");
    event.preventDefault();
  });
  document.addEventListener("pointerup", function (event) {
    if (!dragged) return;
    var source = dragged;
    dragged = null;
    source.classList.remove("dragging");
    workspace.classList.remove("dragging");
    var target = compoundAt(event.clientX, event.clientY);
    var zone = target && target.getAttribute("data-zone");
    if (!zone || zone === source.getAttribute("data-zone")) return;
    var revision = workspace.querySelector("input[name=revision]");
    send(workspace.getAttribute("data-change"), new URLSearchParams({
      _csrf: csrf, revision: revision ? revision.value : "", kind: "move",
      compoundId: source.getAttribute("data-compound"), zoneId: zone }));
  });

  workspace.addEventListener("mouseover", function (event) {
    var dot = event.target.closest ? event.target.closest("circle.compound") : null;
    var caption = workspace.querySelector(".map-caption");
    if (dot && caption) {
      var title = dot.querySelector("title");
      caption.textContent = title ? title.textContent : "";
    }
  });
})();
