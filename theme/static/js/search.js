// Search page: mounts the Pagefind UI (French through <html lang="fr">) and
// runs the query given in the address (?q=…), so a plain GET form can link here.
window.addEventListener("DOMContentLoaded", function () {
  var container = document.getElementById("recherche");
  var siteUrl = new URL(container.dataset.siteUrl, window.location.href);
  var ui = new PagefindUI({
    element: "#recherche",
    baseUrl: siteUrl.pathname,
    showImages: false,
    showSubResults: false,
    autofocus: true,
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
