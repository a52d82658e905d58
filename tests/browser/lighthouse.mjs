// Lighthouse on pages of a served site, one after another, each in a fresh headless Chromium:
//   CHROME_PATH=/usr/bin/chromium node lighthouse.mjs [--performance[=CPU_SLOWDOWN]] BASE_URL PATH...
// prints a JSON line per run: {path, scores: {category: 0-100}, failing: [audit titles], requests: [...],
// benchmarkIndex, cpuSlowdown, metrics: {...}}.
// Mobile form factor, Lighthouse's defaults. Without --performance: accessibility, best practices and SEO,
// and every request the page made (what the tests' byte budgets read; nothing timed). With it (the
// benchmarks): the performance score too, under simulated throttling with the CPU slowdown given (Lighthouse's
// default 4 when none is).
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import {throttling} from 'lighthouse/core/config/constants.js';

const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'speed-index', 'total-blocking-time',
  'cumulative-layout-shift'];

const args = process.argv.slice(2);
const performance = args.find(a => a.startsWith('--performance'));
const cpuSlowdown = performance?.includes('=') ? Number(performance.split('=')[1]) : 4;
const [base, ...paths] = args.filter(a => !a.startsWith('--'));
const categories = [...(performance ? ['performance'] : []), 'accessibility', 'best-practices', 'seo'];

// Chromium's own word on what blocks the first paint, from the trace: "blocking" for a stylesheet or a
// script in <head> without async or defer, "in_body_parser_blocking" for a script in <body>, ...
function renderBlocking(trace) {
  const found = new Map();
  for (const event of trace.traceEvents)
    if (event.name === 'ResourceSendRequest' && event.args?.data?.url)
      found.set(event.args.data.url, event.args.data.renderBlocking ?? null);
  return found;
}

for (const path of paths) {
  const chrome = await chromeLauncher.launch({chromePath: process.env.CHROME_PATH, chromeFlags: CHROME_FLAGS});
  try {
    const {lhr, artifacts} = await lighthouse(base + path, {port: chrome.port, output: 'json', logLevel: 'error',
      formFactor: 'mobile', onlyCategories: categories, onlyAudits: ['network-requests', 'main-thread-tasks'],  // the latter for the trace,
      throttling: {...throttling.mobileSlow4G, cpuSlowdownMultiplier: cpuSlowdown},
      disableFullPageScreenshot: true,  // a second per page for a picture no score uses
      // Lighthouse gives up on a page without a first paint after 30 s, or not loaded after 45 s: a busy machine
      // (a load average of 20 on 2 cores) crosses those while nothing is wrong with the page.
      maxWaitForFcp: 300_000, maxWaitForLoad: 300_000});
    const scored = new Set(categories.flatMap(c => lhr.categories[c].auditRefs.filter(r => r.weight > 0).map(r => r.id)));
    const blocking = renderBlocking(artifacts.Trace);
    console.log(JSON.stringify({
      path,
      scores: Object.fromEntries(categories.map(c => [c, Math.round(lhr.categories[c].score * 100)])),
      metrics: performance ? Object.fromEntries(METRICS.map(m => [m, Math.round(lhr.audits[m].numericValue)])) : {},
      failing: Object.values(lhr.audits)
        .filter(a => scored.has(a.id) && a.score !== null && a.score < 1)
        .map(a => `${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`),
      requests: lhr.audits['network-requests'].details.items.map(r => ({
        url: r.url, resourceType: r.resourceType ?? null, transferSize: r.transferSize ?? 0,
        statusCode: r.statusCode, renderBlocking: blocking.get(r.url) ?? null})),
      benchmarkIndex: lhr.environment.benchmarkIndex,
      cpuSlowdown: lhr.configSettings.throttling.cpuSlowdownMultiplier,
      runtimeError: lhr.runtimeError?.message ?? null,
    }));
  } finally {
    await chrome.kill();
  }
}
