// Search page: mounts the Pagefind UI (French through <html lang="fr">) on the newest
// bundle of the index, whose script this page loads, merges the older bundles (one per
// slice of years) into it, and runs the query given in the address (?q=…), so a plain
// GET form can link here.
function escapeHtml(text) {
  var span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

window.addEventListener("DOMContentLoaded", function () {
  var container = document.getElementById("recherche");
  var siteUrl = new URL(container.dataset.siteUrl, window.location.href);
  var bundlesUrl = new URL(container.dataset.bundlesUrl, window.location.href);
  var merged = container.dataset.mergedShards.split(" ").filter(Boolean).map(function (shard) {
    return { bundlePath: new URL(shard + "/", bundlesUrl).pathname, baseUrl: siteUrl.pathname };
  });
  var ui = new PagefindUI({
    element: "#recherche",
    baseUrl: siteUrl.pathname,
    mergeIndex: merged,
    showImages: false,
    showSubResults: false,
    autofocus: true,
    // Each result says when and by whom (the search record's date and institutions metadata).
    processResult: function (result) {
      var meta = [result.meta.date, result.meta.institutions].filter(Boolean).map(escapeHtml).join(" · ");
      if (meta) {
        result.excerpt = '<span class="result-meta">' + meta + "</span> — " + result.excerpt;
      }
      return result;
    },
    // Pagefind's own French strings, with French spacing and wording where they lack it.
    translations: {
      clear_search: "Effacer",
      search_label: "Rechercher dans les articles",
      zero_results: "Aucun résultat pour « [SEARCH_TERM] »",
      many_results: "[COUNT] résultats pour « [SEARCH_TERM] »",
      one_result: "[COUNT] résultat pour « [SEARCH_TERM] »",
      search_suggestion: "Aucun résultat pour « [SEARCH_TERM] ». Essayez l’une de ces recherches :",
      searching: "Recherche de « [SEARCH_TERM] »…"
    }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
});

// Preview server only: while it refreshes the index, a status file says so and the
// notice above the search box stays shown; it is checked again every two seconds.
window.addEventListener("DOMContentLoaded", function () {
  var notice = document.querySelector(".search-status[data-status-url]");
  if (!notice) {
    return;
  }
  function check() {
    fetch(notice.dataset.statusUrl, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (status) {
        notice.hidden = !status.mise_a_jour_en_cours;
        if (status.mise_a_jour_en_cours) {
          window.setTimeout(check, 2000);
        }
      })
      .catch(function () { notice.hidden = true; });
  }
  check();
});
