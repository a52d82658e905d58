// Lighthouse on pages of a served site, one after another, each in a fresh headless Chromium:
//   CHROME_PATH=/usr/bin/chromium node lighthouse.mjs BASE_URL PATH...
// prints a JSON line per run: {path, scores: {category: 0-100}, metrics: {...}, failing: [audit titles]}.
// Mobile form factor and simulated throttling, Lighthouse's defaults.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'speed-index', 'total-blocking-time',
  'cumulative-layout-shift'];

const [base, ...paths] = process.argv.slice(2);
for (const path of paths) {
  const chrome = await chromeLauncher.launch({chromePath: process.env.CHROME_PATH, chromeFlags: CHROME_FLAGS});
  try {
    const {lhr} = await lighthouse(base + path, {port: chrome.port, output: 'json', logLevel: 'error',
      formFactor: 'mobile', onlyCategories: CATEGORIES,
      disableFullPageScreenshot: true});  // a second per page for a picture no score uses
    const scored = new Set(CATEGORIES.flatMap(c => lhr.categories[c].auditRefs.filter(r => r.weight > 0).map(r => r.id)));
    console.log(JSON.stringify({
      path,
      scores: Object.fromEntries(CATEGORIES.map(c => [c, Math.round(lhr.categories[c].score * 100)])),
      metrics: Object.fromEntries(METRICS.map(m => [m, Math.round(lhr.audits[m].numericValue)])),
      failing: Object.values(lhr.audits)
        .filter(a => scored.has(a.id) && a.score !== null && a.score < 1)
        .map(a => `${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`),
      runtimeError: lhr.runtimeError?.message ?? null,
    }));
  } finally {
    await chrome.kill();
  }
}
