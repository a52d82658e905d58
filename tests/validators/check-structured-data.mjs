// Runs Adobe's structured-data validator (Google's rich-result rules) on HTML pages, the way its
// README does: @marbec/web-auto-extractor reads the page's JSON-LD, microdata and RDFa, then the
// validator checks them, with the schema.org release vendored in schemaorg/.
// Usage: node check-structured-data.mjs PAGE.html...  Prints {page: {items, issues}} as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Validator from '@adobe/structured-data-validator';
import WebAutoExtractor from '@marbec/web-auto-extractor';

const here = path.dirname(fileURLToPath(import.meta.url));
const vocabulary = JSON.parse(fs.readFileSync(path.join(here, 'schemaorg', 'schemaorg-current-https.jsonld'), 'utf8'));
const report = {};
for (const page of process.argv.slice(2)) {
  const html = fs.readFileSync(page, 'utf8');
  const extracted = new WebAutoExtractor({ addLocation: true, embedSource: ['rdfa', 'microdata'] }).parse(html);
  const items = Object.fromEntries(Object.entries(extracted.jsonld || {}).map(([type, list]) => [type, list.length]));
  const issues = await new Validator(vocabulary).validate(extracted);
  report[page] = {
    items,
    issues: issues.map(({ severity, issueMessage, path: where, fieldNames }) => ({ severity, issueMessage, path: where, fieldNames })),
  };
}
process.stdout.write(JSON.stringify(report));
