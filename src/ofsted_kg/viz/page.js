// ofsted-kg graph page: pan and zoom, tooltips, search, neighbours on click, filters by kind.
// Plain JavaScript with no library, so that the page opens from a file with no network.
(function () {
  "use strict";
  var errors = document.getElementById("errors");
  window.addEventListener("error", function (event) {
    errors.hidden = false;
    errors.textContent += (event.message || "error") + "\n";
  });

  var svg = document.querySelector("#drawing > svg");
  var viewport = svg.querySelector("#viewport");
  var tooltip = document.getElementById("tooltip");
  var nodes = Array.prototype.slice.call(svg.querySelectorAll(".node"));
  var edges = Array.prototype.slice.call(svg.querySelectorAll(".edge"));
  var byId = {};
  var neighbours = {};
  nodes.forEach(function (node) { byId[node.dataset.id] = node; neighbours[node.dataset.id] = {}; });
  edges.forEach(function (edge) {
    neighbours[edge.dataset.source][edge.dataset.target] = true;
    neighbours[edge.dataset.target][edge.dataset.source] = true;
  });

  // Pan and zoom: the viewport group's transform.
  var scale = 1, tx = 0, ty = 0, drag = null;
  function apply() { viewport.setAttribute("transform", "translate(" + tx + " " + ty + ") scale(" + scale + ")"); }
  function point(event) {
    var box = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
    var k = Math.max(vb.width / box.width, vb.height / box.height);
    return { x: (event.clientX - box.left) * k, y: (event.clientY - box.top) * k };
  }
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = point(event), factor = event.deltaY < 0 ? 1.15 : 1 / 1.15;
    tx = p.x - (p.x - tx) * factor;
    ty = p.y - (p.y - ty) * factor;
    scale *= factor;
    apply();
  }, { passive: false });
  svg.addEventListener("mousedown", function (event) {
    if (event.target.closest(".node")) { return; }
    drag = { p: point(event), tx: tx, ty: ty };
    svg.classList.add("dragging");
  });
  window.addEventListener("mousemove", function (event) {
    if (!drag) { return; }
    var p = point(event);
    tx = drag.tx + p.x - drag.p.x;
    ty = drag.ty + p.y - drag.p.y;
    apply();
  });
  window.addEventListener("mouseup", function () { drag = null; svg.classList.remove("dragging"); });

  // Tooltips: kind, documents, a quoted piece of evidence.
  function show(event, title, kind, documents, quote) {
    tooltip.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = title;
    tooltip.appendChild(strong);
    var line = document.createElement("div");
    line.className = "kind";
    line.textContent = kind + (documents ? " \u2014 " + documents : "");
    tooltip.appendChild(line);
    if (quote) {
      var q = document.createElement("blockquote");
      q.textContent = "\u201c" + quote + "\u201d";
      tooltip.appendChild(q);
    }
    tooltip.hidden = false;
    tooltip.style.left = Math.min(event.clientX + 12, window.innerWidth - 320) + "px";
    tooltip.style.top = (event.clientY + 12) + "px";
  }
  nodes.forEach(function (node) {
    node.addEventListener("mousemove", function (event) {
      show(event, node.dataset.label, node.dataset.kind, node.dataset.documents, node.dataset.quote);
    });
    node.addEventListener("mouseleave", function () { tooltip.hidden = true; });
    node.addEventListener("click", function (event) { event.stopPropagation(); focus(node.dataset.id); });
  });
  edges.forEach(function (edge) {
    edge.addEventListener("mousemove", function (event) {
      show(event, edge.querySelector("text").textContent, "relation", edge.dataset.documents, edge.dataset.quote);
    });
    edge.addEventListener("mouseleave", function () { tooltip.hidden = true; });
  });

  // Click: a node and its neighbours stand out; click the background to see everything again.
  function focus(id) {
    var near = neighbours[id] || {};
    nodes.forEach(function (node) {
      var keep = node.dataset.id === id || near[node.dataset.id];
      node.classList.toggle("dim", !keep);
      node.classList.toggle("focus", node.dataset.id === id);
    });
    edges.forEach(function (edge) {
      edge.classList.toggle("dim", edge.dataset.source !== id && edge.dataset.target !== id);
    });
  }
  svg.addEventListener("click", function (event) {
    if (event.target.closest(".node")) { return; }
    nodes.forEach(function (node) { node.classList.remove("dim", "focus"); });
    edges.forEach(function (edge) { edge.classList.remove("dim"); });
  });

  // Search: nodes whose label holds the words are marked, and the first is focused.
  document.getElementById("search").addEventListener("input", function (event) {
    var words = event.target.value.trim().toLowerCase();
    var first = null;
    nodes.forEach(function (node) {
      var hit = words !== "" && node.dataset.label.toLowerCase().indexOf(words) >= 0;
      node.classList.toggle("match", hit);
      if (hit && !first) { first = node; }
    });
    if (first) { focus(first.dataset.id); }
  });

  // Filters: hide the nodes of a kind, and the links that lose an end.
  Array.prototype.forEach.call(document.querySelectorAll("#legend input"), function (box) {
    box.addEventListener("change", function () {
      var hidden = {};
      Array.prototype.forEach.call(document.querySelectorAll("#legend input"), function (b) {
        if (!b.checked) { hidden[b.dataset.kind] = true; }
      });
      nodes.forEach(function (node) { node.classList.toggle("hidden", !!hidden[node.dataset.kind]); });
      edges.forEach(function (edge) {
        var gone = byId[edge.dataset.source].classList.contains("hidden") || byId[edge.dataset.target].classList.contains("hidden");
        edge.classList.toggle("hidden", gone);
      });
    });
  });

  // "#check" in the address exercises search, focus and filters, and writes what happened into the page,
  // so that a headless browser can check the page works (tests/test_viz.py).
  if (window.location.hash === "#check" && nodes.length) {
    var search = document.getElementById("search");
    search.value = nodes[0].dataset.label;
    search.dispatchEvent(new Event("input"));
    var box = document.querySelector("#legend input");
    box.checked = false;
    box.dispatchEvent(new Event("change"));
    document.body.dataset.check = JSON.stringify({
      matched: svg.querySelectorAll(".node.match").length,
      focused: svg.querySelectorAll(".node.focus").length,
      dimmed: svg.querySelectorAll(".node.dim").length,
      hidden: svg.querySelectorAll(".node.hidden").length,
      hiddenKind: box.dataset.kind
    });
  }
  // "#bench" zooms and pans 60 times, waiting for each frame, and writes how long a frame took.
  if (window.location.hash === "#bench") {
    var frames = 0, started = performance.now();
    (function step() {
      scale *= frames % 2 ? 1.1 : 1 / 1.1;
      tx += 3;
      apply();
      svg.getBoundingClientRect();
      if (++frames < 60) { requestAnimationFrame(step); return; }
      document.body.dataset.bench = ((performance.now() - started) / frames).toFixed(1);
    })();
  }
  document.body.dataset.ready = "true";
})();
