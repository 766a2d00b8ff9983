/*
 * Pelican's Markdown header ("Key: value" lines, a blank line, the body) as a
 * Decap CMS file format. The same file runs in the editor (it sets
 * window.PelicanFormat) and under node's test runner (module.exports).
 *
 * Data keys are the names in lower case, as Pelican's metadata (and Decap's
 * field names: « date » is what Decap takes for the entry's date); a field is
 * written under its schema name (« Event-Start »), or as it was written.
 *
 * Reading keeps the layout of the header (names as written, continuation
 * lines, unknown fields, the blank lines before the body) in one hidden data
 * key; writing gives back the original lines of every field whose value did
 * not change, so saving an article changes only the lines the officer edited.
 * The header is read as Python-Markdown's meta extension reads it for Pelican.
 */
(function (root, factory) {
  const api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.PelicanFormat = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  const LAYOUT = "_pelican_layout";
  const BODY = "body";
  const META = /^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  const MORE = /^[ ]{4,}(.*)$/;
  const BEGIN = /^-{3}(\s.*)?$/;
  const END = /^(-{3}|\.{3})(\s.*)?$/;
  const CONTINUATION = "    ";
  const DASH = /\s+[—–-]\s+/; // between a path and its label, as pressroom.content.kinds.DASH

  function isBlank(line) {
    return line.trim() === "";
  }

  function lower(names) {
    return (names || []).map((name) => name.toLowerCase());
  }

  /* options: fields (header names in the schema's order), lists (fields holding
     comma-separated values), lines (fields holding one value per line), pairs
     (field -> the names of the two halves of each of its lines, « chemin — libellé »),
     implicit (field -> the value a missing line stands for, e.g. Status: published). */
  function create(options) {
    const fields = (options && options.fields) || [];
    const order = lower(fields);
    const lists = new Set(lower(options && options.lists));
    const lines = new Set(lower(options && options.lines));
    const pairs = new Map(Object.entries((options && options.pairs) || {}).map(([k, v]) => [k.toLowerCase(), v]));
    const headerNames = new Map(fields.map((name) => [name.toLowerCase(), name]));
    const implicit = new Map(Object.entries((options && options.implicit) || {}).map(([k, v]) => [k.toLowerCase(), v]));

    function headerName(key) {
      return headerNames.get(key) || key;
    }

    /* « fichiers/x.pdf — Libellé » as { fichier: "fichiers/x.pdf", libelle: "Libellé" }; a line
       without the dash keeps all its text in the first half. */
    function halves(name, line) {
      const [first, second] = pairs.get(name);
      const match = DASH.exec(line);
      if (!match) return { [first]: line, [second]: "" };
      return { [first]: line.slice(0, match.index), [second]: line.slice(match.index + match[0].length) };
    }

    function valueOf(name, parts) {
      if (lines.has(name)) {
        const values = parts.map((part) => part.trim()).filter(Boolean);
        return pairs.has(name) ? values.map((line) => halves(name, line)) : values;
      }
      const joined = parts.map((part) => part.trim()).join(" ");
      if (lists.has(name)) return joined.split(",").map((item) => item.trim()).filter(Boolean);
      return joined;
    }

    function textOf(name, value) {
      if (value === null || value === undefined) return "";
      if (Array.isArray(value)) {
        const items = value.map((item) => textOf(name, item)).filter(Boolean);
        return items.join(lines.has(name) ? "\n" : ", ");
      }
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      if (typeof value === "object" && pairs.has(name)) {
        const [first, second] = pairs.get(name).map((half) => textOf(name, value[half]));
        return second ? `${first} — ${second}` : first;
      }
      return String(value).replace(/\s*[\r\n]+\s*/g, " ").trim();
    }

    function fieldLines(name, text) {
      const [first, ...rest] = text.split("\n");
      return [`${name}: ${first}`, ...rest.map((part) => CONTINUATION + part)];
    }

    function fromFile(content) {
      let text = content;
      const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
      text = text.slice(bom.length);
      const eol = text.includes("\r\n") ? "\r\n" : "\n";
      const all = text.split(eol);
      const opener = all.length > 1 && BEGIN.test(all[0]) ? [all[0]] : [];
      const entries = [];
      let index = opener.length;
      for (; index < all.length; index += 1) {
        const line = all[index];
        if (isBlank(line) || END.test(line)) break;
        const field = META.exec(line);
        const more = MORE.exec(line);
        if (field) {
          entries.push({ name: field[1], parts: [field[2]], raw: [line] });
        } else if (more && entries.length) {
          entries[entries.length - 1].parts.push(more[1]);
          entries[entries.length - 1].raw.push(line);
        } else {
          break;
        }
      }
      if (!entries.length) {
        return { [BODY]: content.slice(bom.length), [LAYOUT]: { bom, eol, opener: [], entries: [], bare: true } };
      }
      const headerEnd = index;
      if (index < all.length && END.test(all[index])) index += 1;
      while (index < all.length - 1 && isBlank(all[index])) index += 1;
      const data = {};
      const layout = {
        bom,
        eol,
        opener,
        entries: [],
        separator: all.slice(headerEnd, index),
        body: all.slice(index).join(eol),
        ends: index < all.length,
      };
      for (const entry of entries) {
        const name = entry.name.toLowerCase();
        const value = valueOf(name, entry.parts);
        const repeated = Object.prototype.hasOwnProperty.call(data, name);
        if (!repeated) data[name] = value;
        layout.entries.push({ name, written: entry.name, raw: entry.raw, text: textOf(name, value), repeated });
      }
      layout.implicit = [];
      for (const [name, value] of implicit) {
        if (Object.prototype.hasOwnProperty.call(data, name)) continue;
        data[name] = value;  // shown in the form; written only if changed
        layout.implicit.push(name);
      }
      data[BODY] = layout.body;
      data[LAYOUT] = layout;
      return data;
    }

    function bodyText(data, layout) {
      const body = data[BODY] === null || data[BODY] === undefined ? "" : String(data[BODY]);
      if (layout && body === layout.body) return body;
      const eol = (layout && layout.eol) || "\n";
      const normalized = body.replace(/\r\n/g, "\n");
      const ended = normalized === "" || normalized.endsWith("\n") ? normalized : normalized + "\n";
      return ended.split("\n").join(eol);
    }

    function keptLines(entry, data, order) {
      if (entry.repeated) return entry.raw;
      if (!Object.prototype.hasOwnProperty.call(data, entry.name)) {
        return order.includes(entry.name) ? [] : entry.raw;
      }
      const text = textOf(entry.name, data[entry.name]);
      if (text === entry.text) return entry.raw;
      return text ? fieldLines(entry.written, text) : [];
    }

    function place(written, name, order) {
      const rank = order.indexOf(name);
      let at = 0;
      written.forEach((item, position) => {
        const other = order.indexOf(item.name);
        if (other !== -1 && other < rank) at = position + 1;
      });
      return at;
    }

    function toFile(data, sortedKeys) {
      const layout = data[LAYOUT];
      if (layout && layout.bare) return layout.bom + bodyText(data, layout);
      const keys = (sortedKeys && sortedKeys.length ? lower(sortedKeys) : order).filter((name) => name !== BODY);
      const written = [];
      const present = new Set();
      for (const entry of (layout && layout.entries) || []) {
        present.add(entry.name);
        const kept = keptLines(entry, data, keys);
        if (kept.length) written.push({ name: entry.name, lines: kept });
      }
      for (const name of keys) {
        if (present.has(name)) continue;
        const text = textOf(name, data[name]);
        const unchanged = layout && (layout.implicit || []).includes(name) && text === textOf(name, implicit.get(name));
        if (text && !unchanged) written.splice(place(written, name, keys), 0, { name, lines: fieldLines(headerName(name), text) });
      }
      const eol = (layout && layout.eol) || "\n";
      const header = [...((layout && layout.opener) || []), ...written.flatMap((item) => item.lines)];
      const body = bodyText(data, layout);
      const separator = layout && (layout.separator.length || body === layout.body) ? layout.separator : [""];
      const tail = layout && !layout.ends && body === "" ? "" : eol;
      return (layout ? layout.bom : "") + [...header, ...separator].join(eol) + tail + body;
    }

    return { fromFile, toFile };
  }

  const LETTERS = { "\u0153": "oe", "\u0152": "OE", "\u00e6": "ae", "\u00c6": "AE", "\u00df": "ss" };

  /* The slug Pelican makes from a title (pelican.utils.slugify with its default
     substitutions): ASCII letters, digits and hyphens; quotes, ’ included, vanish. */
  function slugify(title) {
    const ascii = String(title || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u0153\u0152\u00e6\u00c6\u00df]/g, (letter) => LETTERS[letter])
      .replace(/[^\x00-\x7f]/g, "");
    return ascii
      .toLowerCase()
      .replace(/[^\w\s-]/g, "")
      .trim()
      .replace(/[-\s]+/g, "-")
      .replace(/^-+|-+$/g, "");
  }

  return { create, slugify, LAYOUT, BODY };
});
