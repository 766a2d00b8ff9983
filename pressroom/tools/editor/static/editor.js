/*
 * Starts Decap CMS with what it needs from us, before it reads config.yml:
 * the Pelican header format, the article preview in the site's look, and,
 * before saving a new article, a Slug made from its title as the site makes it.
 */
(function () {
  "use strict";
  const schema = window.PRESSROOM_EDITOR;
  const format = window.PelicanFormat.create(schema);

  // Raw Markdown first: the rich-text mode rewrites the whole body (« - item » becomes « * item »).
  // Decap keeps the mode last chosen by the officer under this key.
  if (!window.localStorage.getItem("cms.md-mode")) window.localStorage.setItem("cms.md-mode", "raw");
  // Decap's French leaves « Media » in English, and its « ＋ » (U+FF0B) is missing from common fonts.
  const french = window.CMS.getLocale("fr");
  if (french) {
    window.CMS.registerLocale("fr", {
      ...french,
      app: { ...french.app, header: { ...french.app.header, media: "Médias" } },
      collection: {
        ...french.collection,
        collectionTop: { ...french.collection.collectionTop, newButton: "+ %{collectionLabel}" },
      },
    });
  }
  window.CMS.registerCustomFormat("pelican", "md", format);
  window.CMS.registerPreviewStyle(new URL("../theme/css/site.css", window.location.href).href);
  window.CMS.registerPreviewStyle(new URL("preview.css", window.location.href).href);
  window.CMS.registerPreviewTemplate("articles", window.PressroomPreview.article(schema));
  window.CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      const data = entry.get("data");
      if (data.get("slug")) return data;
      return data.set("slug", window.PelicanFormat.slugify(data.get("title")));
    },
  });
  window.CMS.init();
})();
