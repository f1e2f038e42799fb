// The search page: Pagefind's own search API (self-hosted in pagefind/), filtered by town,
// category and way to buy. Loaded only here. Without JavaScript the page shows links instead.
// A result looks like a list's card: name, town and categories, summary, ways to buy; all of
// it merchant data, so it is set as text, never as HTML.
const form = document.querySelector("form[data-search]");
const text = form.dataset;
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-list]");
const more = document.querySelector("[data-search-more]");
const FILTERS = ["ville", "categorie", "achat"];
const BATCH = 10; // results whose details are fetched at a time: each is a request
let pagefind = null;
let results = [];
let shown = 0;
let run = 0;

const filterBox = form.querySelector("[data-search-filters]");
document.querySelector("[data-search-nojs]").hidden = true;
filterBox.hidden = false;
const params = new URLSearchParams(location.search);
form.q.value = params.get("q") || "";
for (const name of FILTERS) form[name].value = params.get(name) || "";
filterBox.open = FILTERS.some((name) => form[name].value);

form.addEventListener("submit", (event) => {
  event.preventDefault();
  update();
});
form.addEventListener("change", update);
form.q.addEventListener("input", update);
more.addEventListener("click", show);
if (form.q.value || FILTERS.some((name) => form[name].value)) update();

async function load() {
  if (!pagefind) {
    pagefind = await import(new URL(text.bundle + "pagefind.js", document.baseURI).href);
    await pagefind.options({ baseUrl: new URL(text.root, document.baseURI).pathname });
  }
  return pagefind;
}

async function update() {
  const query = form.q.value.trim();
  const filters = {};
  const address = new URLSearchParams();
  if (query) address.set("q", query);
  for (const name of FILTERS) {
    const value = form[name].value;
    if (value) {
      filters[name] = value;
      address.set(name, value);
    }
  }
  history.replaceState(null, "", String(address) ? "?" + address : location.pathname);
  const mine = ++run;
  if (!query && !Object.keys(filters).length) {
    results = [];
    list.replaceChildren();
    list.removeAttribute("aria-busy");
    status.textContent = "";
    more.hidden = true;
    return;
  }
  status.textContent = text.searching;
  list.setAttribute("aria-busy", "true");
  try {
    const search = await (await load()).debouncedSearch(query || null, { filters }, 200);
    if (search === null || mine !== run) return; // a newer search is under way
    results = search.results;
    shown = 0;
    list.replaceChildren();
    await show();
    if (mine === run) status.textContent = results.length ? found(results.length) : text.none;
  } catch (error) {
    if (mine !== run) return;
    list.removeAttribute("aria-busy");
    status.textContent = text.unavailable;
  }
}

async function show() {
  const mine = run;
  list.setAttribute("aria-busy", "true");
  const batch = await Promise.all(results.slice(shown, shown + BATCH).map((r) => r.data()));
  if (mine !== run) return;
  shown += batch.length;
  for (const data of batch) list.append(card(data));
  more.hidden = shown >= results.length;
  list.removeAttribute("aria-busy");
}

function card(data) {
  const meta = data.meta;
  const item = element("li", "card");
  const link = element("a", "", meta.title);
  link.href = data.url;
  item.append(element("h2"), element("p", "meta", [meta.ville, meta.categories].join(" · ")));
  item.firstChild.append(link);
  if (meta.statut) item.append(element("p", "notice", meta.statut));
  const ways = element("ul", "ways");
  for (const way of (data.filters && data.filters.achat) || []) {
    ways.append(element("li", "way", way));
  }
  item.append(element("p", "", meta.resume), ways);
  return item;
}

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content) node.textContent = content;
  return node;
}

function found(count) {
  const rule = new Intl.PluralRules(document.documentElement.lang).select(count);
  return (rule === "one" ? text.foundOne : text.foundOther).replace("{count}", count);
}
