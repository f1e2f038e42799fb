// The search page: searches this language's index (written by plugins/buylocal/search.py,
// whose docstring describes its files), filtered by town, category and way to buy. Loaded
// only here. Without JavaScript the page shows links instead. A query fetches index.json,
// one small file per query word, and the records of the results shown; each file once.
// A result looks like a list's card: name, town and categories, summary, ways to buy; all of
// it merchant data, so it is set as text, never as HTML.
const form = document.querySelector("form[data-search]");
const text = form.dataset;
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-list]");
const more = document.querySelector("[data-search-more]");
const FILTERS = ["ville", "categorie", "achat"];
const WEIGHTS = [8, 3, 1]; // a word in the name; in tags, town, categories, ways, summary; elsewhere
const BATCH = 10; // results shown at a time: a phone need not draw hundreds
const lang = document.documentElement.lang;
const indexUrl = new URL(text.index, document.baseURI);
const rootUrl = new URL(text.root, document.baseURI);
// The files' versions come from index.json; the host serves whatever it has now, so an old
// index.json must not be kept for long. A file that is not the version index.json names (the
// site was published again since it was read) is noticed too: see Stale.
const INDEX_LIFE = 10 * 60 * 1000;
let indexRead = 0;
let reload = false; // set once a deploy was noticed: see forgetFiles
const files = new Map(); // path -> promise of its JSON
let results = [];
let shown = 0;
let run = 0;
let timer = 0;
let asked = null; // the address of the search shown or under way
let moreShowing = null; // the results the "more" button asked for, while they load

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
form.addEventListener("change", (event) => {
  if (event.target !== form.q) update(); // the text field has its own listener, below
});
form.q.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(update, 150); // one search when typing stops, not one per key
});
more.addEventListener("click", () => {
  // A second tap while the next results load would show them twice.
  const mine = run;
  if (moreShowing) return;
  moreShowing = show()
    .catch((error) => {
      if (mine !== run) return; // a newer search says how it went
      if (error instanceof Stale) {
        forgetFiles(); // published again: the numbers shown so far are the old index's
        asked = null;
        update();
        return;
      }
      list.removeAttribute("aria-busy");
      status.textContent = text.unavailable; // the button stays: tapping it again may work
    })
    .finally(() => (moreShowing = null));
});
if (form.q.value || FILTERS.some((name) => form[name].value)) update();

// What Unicode does not make plain for us: LETTERS in search.py, which says why.
const LETTERS = { œ: "oe", æ: "ae", ß: "ss", ı: "i", ø: "o", ł: "l", đ: "d", ς: "σ", ʼ: " ", ʻ: " " };

// The words of a text as the index holds them: the same as fold() in search.py.
function fold(value) {
  return value
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[œæßıøłđςʼʻ]/g, (letter) => LETTERS[letter])
    .replace(/[\u00ad\u200c\u200d\u2060\ufeff]/g, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function shardOf(word) {
  return [...word].slice(0, 2).map((c) => (/^[a-z0-9]$/.test(c) ? c : "_")).join("");
}

// A file whose bytes are not the version index.json gave: the site was published again
// since index.json was read, and the files of two builds must not be mixed (their merchant
// numbers differ). Every file is then forgotten and the search made again (update).
class Stale extends Error {}

function fetchJson(path, version) {
  const key = path + "?v=" + version;
  if (!files.has(key)) {
    const url = new URL(path, indexUrl);
    url.search = version ? "v=" + version : "";
    // index.json: always the deployed one. The others: from the browser's cache, unless a
    // deploy was noticed: it may have kept a file of the old build under a new version.
    const cache = !version ? "no-cache" : reload ? "reload" : "default";
    const promise = fetch(url, { cache }).then(async (response) => {
      if (!response.ok) throw new Error(response.status + " " + url);
      const bytes = await response.arrayBuffer();
      if (version && !(await isVersion(bytes, version))) throw new Stale(url);
      return JSON.parse(new TextDecoder().decode(bytes));
    });
    promise.catch(() => {
      if (files.get(key) === promise) files.delete(key); // a failed fetch is tried again
    });
    files.set(key, promise);
  }
  return files.get(key);
}

// A file's version is the start of its SHA-256, as search.py writes it. Browsers hash only on
// https:// and 127.0.0.1 pages (secure contexts); elsewhere the file is taken as it comes.
async function isVersion(bytes, version) {
  if (!crypto.subtle) return true;
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = [...hash].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return hex.startsWith(version);
}

function forgetFiles() {
  files.clear();
  indexRead = Date.now();
  reload = true;
}

function numbers(gaps) {
  let number = 0;
  return gaps.map((gap) => (number += gap));
}

// Merchant number -> score for one query word: every word that starts with it, and its
// singular (the word without its plural s or x); a whole word or its singular counts twice.
async function wordScores(index, word) {
  const scores = new Map();
  const version = index.words[shardOf(word)];
  if (!version) return scores;
  const words = await fetchJson("mots/" + shardOf(word) + ".json", version);
  const singular = word.length > 3 && /[sx]$/.test(word) ? word.slice(0, -1) : null;
  for (const [candidate, tiers] of Object.entries(words)) {
    const whole = candidate === word || candidate === singular;
    if (!whole && !candidate.startsWith(word)) continue;
    tiers.forEach((gaps, tier) => {
      const score = WEIGHTS[tier] * (whole ? 2 : 1);
      for (const number of numbers(gaps)) {
        if ((scores.get(number) || 0) < score) scores.set(number, score);
      }
    });
  }
  return scores;
}

// Every merchant that has every query word (or its start) and is in every chosen filter,
// best first; among equals, in alphabetical order (the numbers' order).
async function search(query, filters) {
  if (Date.now() - indexRead > INDEX_LIFE) {
    files.delete("index.json?v="); // a page left open across a deploy reads the new index
    indexRead = Date.now();
  }
  const index = await fetchJson("index.json", "");
  const stop = new Set(index.stop);
  const typed = [...new Set(fold(query))].filter((w) => [...w].length > 1); // as search.py
  const meaningful = typed.filter((w) => !stop.has(w));
  // Only common words: the start of a longer one, typed so far ("pour" of "pourvoirie").
  const words = meaningful.length ? meaningful : typed;
  let scores = null;
  for (const scored of await Promise.all(words.map((word) => wordScores(index, word)))) {
    if (scores === null) {
      scores = scored;
      continue;
    }
    for (const [number, score] of scores) {
      if (scored.has(number)) scores.set(number, score + scored.get(number));
      else scores.delete(number);
    }
  }
  if (query.trim() && !words.length) scores = new Map(); // only one-letter or stop words
  const chosen = Object.entries(filters);
  if (chosen.length) {
    const all = await fetchJson("filtres.json", index.filters);
    for (const [name, value] of chosen) {
      const inFilter = new Set(numbers((all[name] && all[name][value]) || []));
      if (scores === null) scores = new Map([...inFilter].map((number) => [number, 0]));
      else for (const number of scores.keys()) if (!inFilter.has(number)) scores.delete(number);
    }
  }
  const found = [...(scores || new Map())];
  found.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return { index, numbers: found.map(([number]) => number) };
}

async function record(index, number) {
  const file = Math.floor(number / index.per_file);
  const records = await fetchJson("fiches/" + file + ".json", index.records[file]);
  return records[number % index.per_file];
}

async function update() {
  clearTimeout(timer);
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
  if (String(address) === asked) return; // the same search again (Enter after typing)
  asked = String(address);
  history.replaceState(null, "", asked ? "?" + asked : location.pathname);
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
    await searchAndShow(mine, query, filters).catch((error) => {
      if (!(error instanceof Stale) || mine !== run) throw error;
      forgetFiles(); // published again meanwhile: the same search on the new files, once
      return searchAndShow(mine, query, filters);
    });
  } catch (error) {
    if (mine !== run) return;
    asked = null; // asking again may work
    results = { numbers: [] };
    list.replaceChildren(); // not the results of another query under this one
    list.removeAttribute("aria-busy");
    more.hidden = true;
    status.textContent = text.unavailable;
  }
}

async function searchAndShow(mine, query, filters) {
  const found = await search(query, filters);
  if (mine !== run) return; // a newer search is under way
  results = found;
  shown = 0;
  list.replaceChildren();
  await show();
  if (mine === run) status.textContent = found.numbers.length ? count(found.numbers.length) : text.none;
}

async function show() {
  const mine = run;
  list.setAttribute("aria-busy", "true");
  const next = results.numbers.slice(shown, shown + BATCH);
  const batch = await Promise.all(next.map((number) => record(results.index, number)));
  if (mine !== run) return;
  shown += batch.length;
  for (const data of batch) list.append(card(data));
  more.hidden = shown >= results.numbers.length;
  list.removeAttribute("aria-busy");
}

function card(data) {
  const fallback = data.f || {}; // texts shown in French on an English page
  const item = element("li", "card");
  const heading = element("h2");
  const link = element("a", "", data.n, fallback.n);
  const address = new URL(data.u, rootUrl);
  // Only to a page of this site: never a javascript: link, whatever a record holds.
  if (address.origin === rootUrl.origin && address.pathname.startsWith(rootUrl.pathname)) {
    link.href = address.href;
  }
  heading.append(link);
  item.append(heading, element("p", "meta", data.p));
  if (data.t) item.append(element("p", "notice", data.t));
  const ways = element("ul", "ways");
  for (const way of data.w) ways.append(element("li", "way", way));
  item.append(element("p", "", data.s, fallback.s), ways);
  return item;
}

function element(tag, className, content, language) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content) node.textContent = content;
  if (language) node.lang = language;
  return node;
}

function count(number) {
  const rule = new Intl.PluralRules(lang).select(number);
  const written = new Intl.NumberFormat(lang).format(number);
  return (rule === "one" ? text.foundOne : text.foundOther).replace("{count}", written);
}
