// Drives the inventory page in Debian's headless chromium: signs in, opens the first cluster,
// searches, opens an object, saves a screenshot, and prints what it saw as one JSON line.
// Environment: RECEIVER_URL, ACCESS_KEY, SECRET_KEY, SEARCH_KIND, SCREENSHOT (NODE_PATH finds playwright-core).
const { chromium } = require('playwright-core');

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const seen = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(process.env.RECEIVER_URL);
    await page.fill('#access-key', 'AKWRONG');
    await page.fill('#secret-key', 'wrong');
    await page.click('#signin-form button');
    await page.waitForFunction(() => document.querySelector('#signin-error').textContent.length > 0);
    seen.wrongKeyMessage = await page.textContent('#signin-error');
    await page.fill('#access-key', process.env.ACCESS_KEY);
    await page.fill('#secret-key', process.env.SECRET_KEY);
    await page.click('#signin-form button');
    await page.waitForSelector('#kinds tbody tr.pick');
    seen.tokenStored = await page.evaluate(() => (sessionStorage.getItem('receiverToken') || '').length > 20);
    seen.clusters = await page.$$eval('#clusters tbody tr', rows => rows.map(r => r.cells[0].textContent));
    seen.clusterRows = await page.$$eval('#clusters tbody tr', rows => rows.map(r =>
      Array.from(r.cells).map(c => c.textContent).join('|')));
    seen.clusterNotes = await page.textContent('#cluster-notes');
    seen.kinds = await page.$$eval('#kinds tbody tr', rows => rows.map(r => r.cells[0].textContent + '=' + r.cells[2].textContent));
    seen.releases = await page.$$eval('#releases tbody tr', rows => rows.map(r => r.cells[0].textContent));
    seen.changes = await page.textContent('#changes');
    await page.fill('#q-kind', process.env.SEARCH_KIND);
    await page.click('#search button');
    await page.waitForSelector('#results tbody tr.pick');
    seen.results = await page.$$eval('#results tbody tr', rows => rows.map(r => r.cells[2].textContent));
    await page.click('#results tbody tr.pick');
    await page.waitForSelector('#tree .here');
    seen.detailTitle = await page.textContent('#detail-title');
    seen.yaml = await page.textContent('#yaml');
    seen.treeHere = await page.textContent('#tree .here');
    seen.tree = await page.textContent('#tree');
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    // Signing out must revoke the token on the server, not only forget it in the tab.
    const oldToken = await page.evaluate(() => sessionStorage.getItem('receiverToken'));
    const revoked = page.waitForResponse(r => r.url().endsWith('/account/access_keys/logout'));
    await page.click('#signout');
    seen.signOutStatus = (await revoked).status();
    seen.afterSignOut = await page.evaluate(async t => (await fetch('/v1/clusters',
      { headers: { Authorization: 'Bearer ' + t } })).status, oldToken);
    seen.errors = errors;
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(seen));
})().catch(e => { console.error(e.stack || String(e)); process.exit(1); });
