/*
 * Starts Decap CMS with what it needs from us, before it reads config.yml:
 * the Pelican header format, the article preview in the site's look, and,
 * before saving a new article, a Slug made from its title as the site makes it.
 */
(function () {
  "use strict";
  const schema = window.PRESSROOM_EDITOR;
  const format = window.PelicanFormat.create(schema);

  window.CMS.registerCustomFormat("pelican", "md", format);
  window.CMS.registerPreviewStyle(new URL("../theme/css/site.css", window.location.href).href);
  window.CMS.registerPreviewStyle(new URL("preview.css", window.location.href).href);
  window.CMS.registerPreviewTemplate("articles", window.PressroomPreview.article(schema));
  window.CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      const data = entry.get("data");
      if (data.get("Slug")) return data;
      return data.set("Slug", window.PelicanFormat.slugify(data.get("Title")));
    },
  });
  window.CMS.init();
})();
