// The SPARQL editor: YASGUI on this server's endpoint, with nothing fetched from elsewhere (no online
// autocompletion, no endpoint catalogue), the saved queries as examples. `?example=NAME` opens one;
// `#run` runs what is in the editor once the page is ready (used by the tests).
(function () {
  "use strict";
  const errors = document.getElementById("errors");
  const report = (message) => {
    errors.hidden = false;
    errors.textContent += message + "\n";
  };
  window.addEventListener("error", (event) => report(String(event.message)));
  window.addEventListener("unhandledrejection", (event) => report(String(event.reason)));
  const examples = JSON.parse(document.getElementById("examples").textContent);
  // Read before YASGUI starts: it keeps its own state in the page's address.
  const run = location.hash === "#run";
  const wanted = new URLSearchParams(location.search).get("example");
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: new URL("/sparql", location.href).href, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [] },
    persistenceId: null,
    // Nothing from the page's address: a link could otherwise point the editor at another endpoint.
    populateFromUrl: false,
  });
  const tab = yasgui.getTab();
  if (wanted && examples[wanted]) tab.setQuery(examples[wanted]);
  document.querySelectorAll("a.example").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      yasgui.getTab().setQuery(examples[link.dataset.name]);
    });
  });
  tab.getYasr().on("drawn", () => document.body.setAttribute("data-drawn", "true"));
  if (run) {
    // Once the editor has drawn itself (the next frames), as a user pressing the run button would.
    setTimeout(() => Promise.resolve(tab.getYasqe().query()).catch((error) => report(String(error))), 200);
  }
  document.body.setAttribute("data-ready", "true");
})();
