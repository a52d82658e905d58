/*
 * Search for fact-check sites: a drop-in replacement for Material for MkDocs'
 * search worker, speaking the same messages (SETUP, READY, QUERY, RESULT), so the
 * theme's search box, result list, highlighting and suggestions work unchanged.
 *
 * Material's worker indexes the full text of every page, all downloaded before
 * the first result. This one searches the site's own pages (from
 * search_index.json, as before) and the claims and sources through an index
 * split by the first two characters of each word (generator/search_index.py
 * writes it): a query fetches only the parts it needs.
 */
"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const TITLE = 1, NAME = 2, BODY = 4
const MAX_RESULTS = 50
const PAGE_WEIGHT = 0.5    // the site's own pages (methodology, verdict scale, ...) rank below claims and sources
const TYPO_MIN = 5         // a query word this long that finds nothing finds words one edit away
const WORD = /[\p{L}\p{N}\p{Mc}\p{Me}]+/gu
/* assets/search-words.json, put here by search_index.py's worker_asset: one definition for both sides (with
   language.py's UNSPACED as unspaced). */
const RULES = /* search-words.json */ {}
/* Runs of a script written without spaces between words (Chinese, Japanese, Thai): indexed as pairs of letters. */
const UNSPACED = RULES.unspaced ? new RegExp(`[${RULES.unspaced}]+`, "gu") : /(?!)/gu
const UNSPACED_START = RULES.unspaced ? new RegExp(`^[${RULES.unspaced}]`, "u") : /(?!)/u
const FOLDS = new Map(Object.entries(RULES.fold || {}))
const FOLD = new RegExp([...FOLDS.keys()].map(c => c.replace(/[\\^$.*+?()[\]{}|-]/g, "\\$&")).join("|") || "(?!)", "gu")
const ENDINGS = [...(RULES.endings || [])].sort((a, b) => Array.from(b).length - Array.from(a).length)

let manifest = null        // the index's manifest, from search_index.json's config
let indexUrl = null        // where its files are
let stopwords = new Set()
let pages = []             // the site's own pages: {doc, words: Map(word -> field bits)}
let pagesSource = []       // their entries, or the index's file holding them (read when the reader first searches)
let pagesLoaded = null     // Promise of pages read
let suggestions = false
let latest = 0             // number of the newest query; older ones are not answered
const files = new Map()    // URL -> Promise of parsed JSON

/* As search_index.py's fold(): case-folded (upper then lower case folds "ß" to "ss" and "İ" to
   "i" + a dot; the final sigma is the sigma), decomposed, without nonspacing marks, recomposed,
   and the characters typed either way made one (search-words.json's fold). */
function fold(text) {
  return text.toUpperCase().toLowerCase().replace(/ς/g, "σ")
    .normalize("NFKD").replace(/\p{Mn}+/gu, "").normalize("NFC").replace(FOLD, c => FOLDS.get(c))
}

/* A folded word's parts: [text, true] for each run of an unspaced script, [text, false] for what is between. */
function parts(word) {
  const out = []
  let at = 0
  for (const run of word.matchAll(UNSPACED)) {
    if (run.index > at) out.push([word.slice(at, run.index), false])
    out.push([run[0], true])
    at = run.index + run[0].length
  }
  if (at < word.length) out.push([word.slice(at), false])
  return out
}

/* A run's overlapping pairs of letters (a single letter alone). */
function pairs(run) {
  const letters = Array.from(run)
  return letters.length < 2 ? letters : letters.slice(1).map((letter, i) => letters[i] + letter)
}

/* As search_index.py's words(): a run of an unspaced script as its overlapping pairs of letters and its last. */
function words(text) {
  return (fold(text).match(WORD) || []).flatMap(word => parts(word).flatMap(([part, unspaced]) =>
    unspaced && Array.from(part).length > 1 ? [...pairs(part), Array.from(part).at(-1)] : [part]))
}

/* What a query asks for: each word typed, as the terms a document must all hold (a word written without spaces,
   as in Chinese or Japanese: all its pairs of letters, so 南朝鮮 does not find 北朝鮮 by 朝鮮 alone). */
function queryWords(query) {
  return (fold(query).match(WORD) || []).flatMap(word => parts(word).map(([part, unspaced]) =>
    unspaced ? pairs(part) : [part]))
}

/* As search_index.py's stem(): the word without the particles written on to its end (북한군들이: 북한군). */
function stem(word) {
  for (;;) {
    const ending = ENDINGS.find(e => word.endsWith(e) &&
      Array.from(word).length - Array.from(e).length >= RULES.min_stem)
    if (!ending) return word
    word = word.slice(0, word.length - ending.length)
  }
}

/* As search_index.py's index_terms(): each word, and its stem where that differs. */
function indexTerms(text) {
  return words(text).flatMap(word => {
    const base = stem(word)
    return base === word ? [word] : [word, base]
  })
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c])
}

/* Material's entries for the site's own pages hold escaped HTML; results are escaped again when shown. */
function plainText(html) {
  const entities = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" }
  return html.replace(/<[^>]*>/g, " ").replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name) => entities[name])
    .replace(/\s+/g, " ").trim()
}

function shardKey(term) {
  return Array.from(term).slice(0, UNSPACED_START.test(term) ? 1 : manifest.key_length)
    .map(c => /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16)).join("")
}

function fetchJson(path) {
  const url = new URL(path, indexUrl).href
  if (!files.has(url))
    files.set(url, fetch(url).then(response => response.ok ? response.json() : null).catch(() => null))
  return files.get(url)
}

function weight(bits) {
  return bits & TITLE ? 10 : bits & NAME ? 4 : 1
}

/* Whether two words differ by at most one edit: a letter wrong, missing or extra, or two letters swapped. */
function oneEditApart(a, b) {
  a = Array.from(a)
  b = Array.from(b)
  if (Math.abs(a.length - b.length) > 1) return false
  let start = 0, endA = a.length, endB = b.length
  while (start < endA && start < endB && a[start] === b[start]) start++
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB-- }
  if (endA - start <= 1 && endB - start <= 1) return true
  return endA - start === 2 && endB - start === 2 && a[start] === b[start + 1] && a[start + 1] === b[start]
}

/* The keys where a word one edit away from the term can be found. An edit after the first two
   letters leaves the word in the term's own shard. A letter too many among the first two puts it in
   the shard of the term without its first or second letter. A first or second letter wrong or
   missing, or the two swapped, puts it in the typo list (search_index.py, typo_lists) of the term
   itself or of the term without its first or second letter. */
function typoKeys(term) {
  const c = Array.from(term)
  const keys = [term, c.slice(1).join(""), [c[0], ...c.slice(2)].join("")].map(shardKey)
  return {
    shards: [...new Set(keys)].filter(key => manifest.keys.includes(key)),
    lists: [...new Set(keys)].filter(key => (manifest.typo_keys || []).includes(key)),
  }
}

function addPostings(found, postings, exact) {
  let doc = 0
  for (const value of postings) {
    doc += Math.floor(value / 8)
    const score = weight(value % 8) * exact
    if (score > (found.get(doc) || 0)) found.set(doc, score)
  }
}

/* The claims and sources matching one query word: {scores: Map(doc number -> score), spelled: the
   indexed words found one edit away, to highlight}. Exact words score most, then words it begins and
   the word's stem (북한이 finds 북한은 through 북한); only when none exists, words one edit away. */
async function matchIndex(term) {
  const found = new Map(), spelled = []
  if (!manifest) return { scores: found, spelled }
  const key = shardKey(term)
  const shard = manifest.keys.includes(key) ? await fetchJson(`terms/${key}.json`) : null
  const prefix = Array.from(term).length >= manifest.key_length || UNSPACED_START.test(term)
  for (const [word, postings] of Object.entries(shard || {}))
    if (word === term || (prefix && word.startsWith(term))) addPostings(found, postings, word === term ? 2 : 1)
  const base = stem(term), baseKey = shardKey(base)
  if (base !== term && manifest.keys.includes(baseKey)) {
    const postings = ((await fetchJson(`terms/${baseKey}.json`)) || {})[base]
    if (postings) addPostings(found, postings, 1)
  }
  if (found.size || Array.from(term).length < TYPO_MIN) return { scores: found, spelled }
  const { shards, lists } = typoKeys(term)
  const listed = (await Promise.all(lists.map(k => fetchJson(`typos/${k}.json`)))).flat()
  const near = new Set(listed.filter(word => word && oneEditApart(word, term)))
  const keys = [...new Set([...shards, ...[...near].map(shardKey)])].filter(k => manifest.keys.includes(k))
  for (const other of await Promise.all(keys.map(k => fetchJson(`terms/${k}.json`))))
    for (const [word, postings] of Object.entries(other || {}))
      if (!spelled.includes(word) && (near.has(word) || oneEditApart(word, term))) {
        addPostings(found, postings, 1)
        spelled.push(word)
      }
  return { scores: found, spelled }
}

/* The same for the site's own pages, searched in memory. */
function matchPages(term, typos) {
  const found = new Map(), base = stem(term)
  pages.forEach((page, number) => {
    for (const [word, bits] of page.words)
      if (word.startsWith(term) || word === base || (typos && oneEditApart(word, term))) {
        const score = weight(bits) * (word === term ? 2 : 1) * PAGE_WEIGHT
        if (score > (found.get(number) || 0)) found.set(number, score)
      }
  })
  return found
}

/* The most frequent indexed word that completes the last word typed. */
async function suggest(term) {
  if (!manifest || Array.from(term).length < manifest.key_length || UNSPACED_START.test(term)) return undefined
  const key = shardKey(term)
  const shard = manifest.keys.includes(key) ? await fetchJson(`terms/${key}.json`) : null
  let best, count = 0
  for (const [word, postings] of Object.entries(shard || {}))
    if (word.startsWith(term) && word !== term && postings.length > count) {
      best = word
      count = postings.length
    }
  return best ? [best] : undefined
}

function highlight(text, terms) {
  let out = "", last = 0
  for (const match of text.matchAll(WORD)) {
    const word = fold(match[0])
    out += escapeHtml(text.slice(last, match.index))
    out += terms.some(t => word.startsWith(t) || (UNSPACED_START.test(t) && word.includes(t))) ? `<mark>${escapeHtml(match[0])}</mark>` : escapeHtml(match[0])
    last = match.index + match[0].length
  }
  return out + escapeHtml(text.slice(last))
}

/* A claim's row carries its verdict's badge as HTML made by the generator (render/markup.py's badge,
   which escapes the label), shown as it is in lists; the title and text are plain text, escaped here. */
function item(doc, score, terms, matched, spelled) {
  const found = {}
  for (const term of terms) found[term] = matched.has(term)
  const marked = [...matched, ...[...matched].flatMap(term => [stem(term), ...(spelled.get(term) || [])])]
  return {
    location: doc.location,
    title: highlight(doc.title, marked),
    text: (doc.badge ? doc.badge + " " : "") + highlight(doc.text, marked),
    score,
    terms: found,
  }
}

/* The result for a query, or null when a newer query arrived meanwhile (as the reader types). */
async function search(query, isStale) {
  const asked = new Map()
  for (const group of queryWords(query).map(g => g.filter(word => !stopwords.has(word))).filter(g => g.length))
    asked.set(group.join(" "), group)
  const groups = [...asked.values()]
  const terms = [...new Set(groups.flat())]
  if (!terms.length) return { items: [] }
  const [matches] = await Promise.all([Promise.all(terms.map(matchIndex)), loadPages()])
  const pageMatches = terms.map((term, i) => matchPages(term, matches[i].spelled.length > 0))
  const spelled = new Map(terms.map((term, i) => [term, matches[i].spelled]))
  const number = new Map(terms.map((term, i) => [term, i]))

  /* Documents matching the most query words first, then by score, then newest. A word is matched when each of
     its terms is. */
  const combined = new Map()
  const add = (id, group, score) => {
    const entry = combined.get(id) || { id, score: 0, matched: new Set(), terms: new Set() }
    entry.score += score
    entry.matched.add(group.join(" "))
    group.forEach(term => entry.terms.add(term))
    combined.set(id, entry)
  }
  for (const group of groups)
    for (const [found, id] of [[matches.map(m => m.scores), doc => doc], [pageMatches, page => `page:${page}`]])
      found[number.get(group[0])].forEach((score, doc) => {
        let total = score
        for (const term of group.slice(1)) {
          const more = found[number.get(term)].get(doc)
          if (more === undefined) return
          total += more
        }
        add(id(doc), group, total)
      })
  const most = Math.max(0, ...[...combined.values()].map(entry => entry.matched.size))
  const order = id => typeof id === "number" ? id : 1e9 + Number(id.slice(5))  // pages after equal claims
  const ranked = [...combined.values()]
    .filter(entry => entry.matched.size === most)
    .sort((a, b) => b.score - a.score || order(a.id) - order(b.id))
    .slice(0, MAX_RESULTS)

  if (isStale()) return null  // do not fetch what a result for an older prefix would show
  const perFile = manifest ? manifest.docs_per_file : 1
  const needed = [...new Set(ranked.filter(e => typeof e.id === "number").map(e => Math.floor(e.id / perFile)))]
  const loaded = new Map(await Promise.all(needed.map(async n => [n, await fetchJson(`docs/${n}.json`)])))
  const items = []
  for (const entry of ranked) {
    if (typeof entry.id === "number") {
      const rows = loaded.get(Math.floor(entry.id / perFile))
      const row = rows && rows[entry.id % perFile]
      if (row)
        items.push([item({ location: row[0], title: row[1], text: row[2], badge: row[3] }, entry.score, terms,
          entry.terms, spelled)])
    } else {
      const page = pages[Number(entry.id.slice(5))]
      items.push([item(page.doc, entry.score, terms, entry.terms, spelled)])
    }
  }
  const result = { items }
  if (suggestions && !/\s$/.test(query)) {
    const completion = await suggest(terms[terms.length - 1])
    if (completion) result.suggest = completion
  }
  return result
}

function setup(data) {
  const config = data.config || {}
  suggestions = !!(data.options && data.options.suggest)
  manifest = config.factcheck || null
  if (manifest) {
    /* This file lives in assets/javascripts/workers/; the index under the site's root. */
    indexUrl = new URL(`../../../${manifest.path}`, self.location.href)
    stopwords = new Set(manifest.stopwords)
  }
  /* search_index.json, which Material's page script fetches on every page view, leaves the site's own pages to
     a file of the index (search_index.py): fetched and read once, when the reader first searches. */
  pagesSource = manifest && manifest.pages ? manifest.pages : data.docs || []
  pagesLoaded = null
}

function loadPages() {
  if (!pagesLoaded)
    pagesLoaded = (Array.isArray(pagesSource) ? Promise.resolve(pagesSource) : fetchJson(pagesSource))
      .then(docs => { pages = readPages(docs || []) })
  return pagesLoaded
}

function readPages(docs) {
  return docs.map(doc => {
    const plain = { location: doc.location, title: plainText(doc.title || ""), text: plainText(doc.text || "") }
    const found = new Map()
    for (const word of indexTerms(plain.title)) found.set(word, (found.get(word) || 0) | TITLE)
    for (const word of indexTerms(plain.text)) found.set(word, (found.get(word) || 0) | BODY)
    plain.text = plain.text.length > 160 ? plain.text.slice(0, 159).trimEnd() + "…" : plain.text
    return { doc: plain, words: found }
  })
}

addEventListener("message", async event => {
  const message = event.data
  if (message.type === SETUP) {
    setup(message.data)
    postMessage({ type: READY })
  } else if (message.type === QUERY) {
    const number = ++latest
    const isStale = () => number !== latest
    let data
    try {
      data = await search(message.data, isStale)
    } catch (error) {
      data = { items: [] }
    }
    if (data && !isStale()) postMessage({ type: RESULT, data })
  }
})
