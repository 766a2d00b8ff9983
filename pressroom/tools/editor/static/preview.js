/*
 * The preview pane of the editor: an article as the site shows it (title,
 * chapô, date, institutions with their full names, event box, and the plain
 * fields the schema says the article page shows), in French, with the site's
 * stylesheet. React elements through Decap's global `h`.
 */
(function () {
  "use strict";
  const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre"];

  function text(value) {
    if (value === null || value === undefined) return "";
    if (typeof value.toJS === "function") value = value.toJS();
    if (Array.isArray(value)) return value.join(", ");
    return String(value);
  }

  function items(value) {
    if (value && typeof value.toJS === "function") value = value.toJS();
    if (Array.isArray(value)) return value.filter(Boolean);
    return text(value).split(",").map((item) => item.trim()).filter(Boolean);
  }

  /* « 8 octobre 2024 » (à « 10 h 30 ») from 2024-10-08 or 2024-10-08 10:30; other forms as written. */
  function longDate(value) {
    const written = text(value).trim();
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(written);
    if (!match) return written;
    const [, year, month, day, hour, minute] = match;
    const date = `${Number(day) === 1 ? "1er" : Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
    return hour ? `${date} à ${Number(hour)} h ${minute}` : date;
  }

  function article(schema) {
    const h = window.h;

    function eventBox(data, institutions) {
      const name = text(data.get("event"));
      if (!name) return null;
      const start = longDate(data.get("event-start"));
      const end = longDate(data.get("event-end"));
      const dates = end && end !== start ? `du ${start} au ${end}` : start;
      const location = text(data.get("event-location"));
      return h("aside", { className: "event" },
        h("h2", {}, "Événement"),
        h("dl", {},
          h("dt", {}, "Nom"), h("dd", {}, name),
          h("dt", {}, "Dates"), h("dd", {}, dates || "date de début à indiquer"),
          location ? [h("dt", { key: "l" }, "Lieu"), h("dd", { key: "v" }, location)] : null,
          institutions.length ? [h("dt", { key: "o" }, "Organisateurs"),
            h("dd", { key: "n" }, institutions.map((acronym) => schema.institutions[acronym] || acronym).join(", "))] : null));
    }

    /* The plain fields the article page shows (the schema's « shown » list: key and label), when filled. */
    function shownFields(data) {
      const filled = (schema.shown || []).filter(([key]) => text(data.get(key)));
      if (!filled.length) return null;
      return h("dl", { className: "shown-fields" }, filled.map(([key, label]) => [
        h("dt", { key: `${key}-label` }, label), h("dd", { key }, text(data.get(key)))]));
    }

    return function ArticlePreview({ entry, widgetFor }) {
      const data = entry.get("data");
      const institutions = items(data.get("institutions"));
      const status = text(data.get("status"));
      return h("main", { className: "content" },
        h("p", { className: "preview-note" },
          status === "draft" ? "Aperçu — brouillon : l'article n'est pas encore sur le site." : "Aperçu de la page de l'article."),
        h("article", { className: "article" },
          h("header", {},
            text(data.get("category")) ? h("p", { className: "meta" }, text(data.get("category"))) : null,
            h("h1", {}, text(data.get("title")) || "Titre de l'article"),
            h("p", { className: "meta" }, `Publié le ${longDate(data.get("date"))}`),
            institutions.length ? h("ul", { className: "institutions", "aria-label": "Institutions" },
              institutions.map((acronym) => h("li", { key: acronym },
                h("abbr", { title: schema.institutions[acronym] || "" }, acronym)))) : null),
          text(data.get("summary")) ? h("p", { className: "chapo" }, text(data.get("summary"))) : null,
          eventBox(data, institutions),
          h("div", { className: "body" }, widgetFor("body")),
          h("footer", {},
            text(data.get("author")) ? h("p", { className: "signature" }, text(data.get("author"))) : null,
            shownFields(data),
            items(data.get("tags")).length ? h("p", {}, `Thèmes : ${items(data.get("tags")).join(", ")}`) : null)));
    };
  }

  window.PressroomPreview = { article, longDate };
})();
