// Offline reading (plugins/lite writes this file at each build; its version follows what it keeps).
// Network first: a page is always taken from the network when it answers; the copy kept is read
// only when the network fails, marked « Lu hors ligne — version du … ». The search index is never kept.
const VERSION = "{{ version }}";
const CACHE = `pressroom-${VERSION}`;
const KEPT = {{ urls|safe }}; // the home page (full, then lite) first
// A reader who asked the browser to save data (Save-Data) gets only the home page kept ahead;
// the pages read are kept as they are read, as for everyone.
const SAVE_DATA = Boolean(self.navigator.connection && self.navigator.connection.saveData);
const SEARCH = "/{{ search_folder }}/";
const MAX_READ = {{ max_read }}; // files kept as they are read, besides KEPT: the oldest go first
const LOCALE = "{{ locale }}";
const root = new URL("./", self.location).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all((SAVE_DATA ? KEPT.slice(0, 2) : KEPT).map((url) => cache.add(new URL(url, root)).catch(() => undefined))),
    ),
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("pressroom-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function dateLabel(date) {
  const when = date ? new Date(date) : null;
  if (!when || isNaN(when)) return "inconnue";
  try {
    return when.toLocaleString(LOCALE, { dateStyle: "long", timeStyle: "short" });
  } catch (unknownLocale) {
    return when.toISOString().slice(0, 16).replace("T", " ");
  }
}

function offlineBanner(date) {
  return `<p class="hors-ligne" role="status">Lu hors ligne — version du ${dateLabel(date)}</p>`;
}

async function fromCache(request) {
  const kept = await caches.match(request, { ignoreSearch: true });
  if (kept) {
    if (!(kept.headers.get("Content-Type") || "").startsWith("text/html")) return kept;
    const page = await kept.text();
    const marked = page.replace(/<body[^>]*>/, (body) => body + offlineBanner(kept.headers.get("Date")));
    return new Response(marked, { headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  // A photo of another width than the one kept: the narrowest variant of the same photo.
  const photo = new URL(request.url).pathname.match(/^(.*\/)\d+\.(webp|jpg)$/);
  if (photo) {
    const narrowest = await caches.match(new URL(`${photo[1]}360.webp`, self.location.origin));
    if (narrowest) return narrowest;
  }
  return Response.error();
}

async function keep(request, response) {
  const cache = await caches.open(CACHE);
  await cache.put(request, response);
  const ahead = new Set(KEPT.map((url) => new URL(url, root).href));
  const read = (await cache.keys()).filter((kept) => !ahead.has(kept.url));
  await Promise.all(read.slice(0, Math.max(0, read.length - MAX_READ)).map((old) => cache.delete(old)));
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") keep(request, response.clone());
    return response;
  } catch (failure) {
    return fromCache(request);
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.includes(SEARCH) || url.href === self.location.href) return;
  event.respondWith(networkFirst(event.request));
});
