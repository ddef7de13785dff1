'use strict';
// The HTML compliance report in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): screenshots at
// 1400 and 800 px, no horizontal overflow at 800 px, the heatmap cells match the report's data, search, the status and
// organization filters and sorting show exactly the rows the report's JSON says they should, and no request leaves the page.
// Usage: node report.test.js [--module <laid-out module folder>] [--out <artifacts folder>]
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '..', '..');
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const version = /<FmsToolsVersion>(.*)<\/FmsToolsVersion>/.exec(fs.readFileSync(path.join(root, 'Directory.Build.props'), 'utf8'))[1];
const modulePath = path.resolve(arg('--module', path.join(root, 'out', 'FmsTools', version)));
const out = path.resolve(arg('--out', path.join(root, 'artifacts', 'browser')));
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// ---------------------------------------------------------------- expectations from the report's JSON (not from the page)
const load = (name) => JSON.parse(fs.readFileSync(path.join(out, name), 'utf8'));
const violations = (report) => report.rows.flatMap((row) => row.violations || []);
const searchText = (v) => [v.organization, v.organizationId, v.accountName, v.accountId, v.region, v.policyName, v.resourceId, v.resourceType, v.reason]
  .filter((t) => t).join(' ').toLowerCase();
const key = (v) => `${v.organizationId || ''}|${v.accountId}|${v.resourceId}`;
// A row is shown as Excepted when every violator is listed and accepted (FmsComplianceStatus.IsExcepted).
const cellState = (row) => {
  if (!row) return 'NotInScope';
  const list = row.violations || [];
  if (row.status === 'NonCompliant' && list.length > 0 && !row.evaluationLimitExceeded && row.violatorCount <= list.length && list.every((v) => v.excepted)) return 'Excepted';
  return row.status;
};

const failures = [];
async function check(name, body) {
  try { await body(); console.log(`ok - ${name}`); } catch (e) { failures.push(name); console.log(`not ok - ${name}\n${e.stack}`); }
}

async function visibleKeys(page) {
  return page.$$eval('#resources tbody tr', (rows) => rows.filter((r) => r.offsetParent !== null)
    .map((r) => `${r.getAttribute('data-org')}|${r.getAttribute('data-account')}|${r.getAttribute('data-resource')}`));
}

const sorted = (list) => [...list].sort();

async function main() {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  console.log(`# generating reports from two demo sandboxes with ${modulePath}`);
  execFileSync('dotnet', ['pwsh', '-NoProfile', '-NonInteractive', '-File', path.join(__dirname, 'New-BrowserTestReport.ps1'), '-OutDir', out, '-ModulePath', modulePath],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  const report = load('report.json');
  const merged = load('merged.json');

  for (const file of ['report.html', 'merged.html']) {
    const html = fs.readFileSync(path.join(out, file), 'utf8');
    await check(`${file} names no external URL and loads nothing`, () => {
      assert.doesNotMatch(html, /https?:\/\//i);
      assert.doesNotMatch(html, /\b(src|href)\s*=/i);
      assert.doesNotMatch(html, /url\(/i);
    });
  }

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fms-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
  const requests = [];
  browser.on('request', (r) => { if (!r.url().startsWith('file://')) requests.push(r.url()); });
  await browser.route((url) => !url.href.startsWith('file://'), (route) => route.abort());
  const errors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(path.join(out, 'report.html')).href);

    await check('screenshots at 1400 and 800 px wide, no horizontal overflow at 800 px', async () => {
      for (const width of [1400, 800]) {
        await page.setViewportSize({ width, height: 900 });
        const shot = path.join(out, `report-${width}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        assert.ok(fs.statSync(shot).size > 10000, `${shot} is (nearly) empty`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (width === 800) assert.ok(overflow <= 0, `the page is ${overflow} px wider than an 800 px window`);
      }
      await page.setViewportSize({ width: 1400, height: 900 });
    });

    await check('the heatmap has a cell per policy x account, each in the state of its row', async () => {
      const cells = await page.$$eval('#heatmap td.hm', (tds) => tds.map((td) => ({
        key: `${td.dataset.region}/${td.dataset.policy}/${td.dataset.account}`, status: td.dataset.status,
      })));
      const rows = new Map(report.rows.map((r) => [`${r.region}/${r.policyId}/${r.accountId}`, r]));
      assert.equal(cells.length, report.policies.length * report.accounts.length);
      for (const cell of cells) assert.equal(cell.status, cellState(rows.get(cell.key)), cell.key);
      assert.ok(cells.some((c) => c.status === 'Excepted'), 'the exceptions file makes at least one cell Excepted');
      assert.ok(cells.some((c) => c.status === 'NonCompliant'));
    });

    await check('the charts and the trend are drawn from the data', async () => {
      const bars = await page.$$eval('#policy-chart g.bar', (gs) => gs.map((g) => g.dataset.percent));
      assert.deepEqual(bars, report.policies.map((p) => String(Math.round(p.compliancePercent * 10) / 10)));
      const points = await page.$$eval('#trend-chart g.point', (gs) => gs.length);
      assert.equal(points, 3, 'snapshot, earlier report and this report');
      assert.ok(await page.$$eval('#ou-chart g.bar', (gs) => gs.length) > 0);
    });

    const all = violations(report);
    await check('every violating resource is listed and shown at first', async () => {
      assert.deepEqual(sorted(await visibleKeys(page)), sorted(all.map(key)));
      assert.equal(await page.textContent('#shown'), `${all.length} of ${all.length} shown`);
    });

    const term = all[0].resourceType.toLowerCase();
    await check(`search '${term}' shows exactly the matching resources`, async () => {
      await page.fill('#q', term);
      const expected = all.filter((v) => searchText(v).includes(term)).map(key);
      assert.ok(expected.length > 0 && expected.length < all.length, 'the term narrows the list');
      assert.deepEqual(sorted(await visibleKeys(page)), sorted(expected));
    });

    await check('the Excepted filter shows exactly the accepted violations', async () => {
      await page.fill('#q', '');
      await page.click('#filters button[data-filter="excepted"]');
      const expected = all.filter((v) => v.excepted).map(key);
      assert.ok(expected.length > 0);
      assert.deepEqual(sorted(await visibleKeys(page)), sorted(expected));
      await page.click('#filters button[data-filter="violating"]');
      assert.deepEqual(sorted(await visibleKeys(page)), sorted(all.filter((v) => !v.excepted).map(key)));
      await page.click('#filters button[data-filter="all"]');
    });

    await check('clicking the Resource header sorts the rows by resource id', async () => {
      await page.click('#resources thead th:has-text("Resource")');
      const ids = await page.$$eval('#resources tbody tr', (rows) => rows.map((r) => r.getAttribute('data-resource')));
      assert.deepEqual(ids, [...ids].sort((a, b) => a.localeCompare(b)));
      assert.equal(await page.getAttribute('#resources thead th:has-text("Resource")', 'aria-sort'), 'ascending');
    });

    await page.goto(pathToFileURL(path.join(out, 'merged.html')).href);
    await check('merged report: a policy\'s heatmap cells are those of its own organization\'s rows only', async () => {
      const cells = await page.$$eval('#heatmap td.hm', (tds) => tds.map((td) => ({
        key: `${td.dataset.region}/${td.dataset.policy}/${td.dataset.account}`, status: td.dataset.status,
        org: td.dataset.org, policyOrg: td.closest('tr').querySelector('th.pol').dataset.org,
      })));
      const rows = new Map(merged.rows.map((r) => [`${r.organizationId}/${r.region}/${r.policyId}/${r.accountId}`, r]));
      assert.equal(cells.length, merged.policies.length * merged.accounts.length);
      for (const cell of cells) {
        const row = cell.org === cell.policyOrg ? rows.get(`${cell.org}/${cell.key}`) : undefined;
        assert.equal(cell.status, cellState(row), `${cell.policyOrg} ${cell.key} in ${cell.org}`);
      }
    });
    await check('merged report: the organization filter shows exactly that organization\'s resources', async () => {
      const everything = violations(merged);
      const orgs = [...new Set(everything.map((v) => v.organizationId))].sort();
      assert.deepEqual(orgs, ['o-lab0000002', 'o-prod000001']);
      assert.deepEqual(sorted(await visibleKeys(page)), sorted(everything.map(key)));
      for (const org of orgs) {
        await page.selectOption('#org', org);
        assert.deepEqual(sorted(await visibleKeys(page)), sorted(everything.filter((v) => v.organizationId === org).map(key)));
      }
      const shot = path.join(out, 'merged-800.png');
      await page.setViewportSize({ width: 800, height: 900 });
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(fs.statSync(shot).size > 10000);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
    });

    await check('no script error and no request left the page', async () => {
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
    });
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(failures.length === 0 ? '# all browser checks passed' : `# ${failures.length} failed: ${failures.join('; ')}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
