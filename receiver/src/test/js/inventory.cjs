// Drives the inventory page in Debian's headless chromium through each view, as a person would
// (links, the keyboard, forms, shared URLs), saves a screenshot of each view, and prints what it
// saw as one JSON line.
// Environment: RECEIVER_URL, ACCESS_KEY, SECRET_KEY, SHOTS (a directory; NODE_PATH finds playwright-core).
const { chromium } = require('playwright-core');

const url = process.env.RECEIVER_URL;
const shot = (page, name) => page.screenshot({ path: process.env.SHOTS + '/' + name + '.png' });
const cells = (page, table, column) => page.$$eval(table + ' tbody tr', (rows, c) => rows.map(r => r.cells[c].textContent), column);

async function signIn(page) {
  await page.fill('#access-key', process.env.ACCESS_KEY);
  await page.fill('#secret-key', process.env.SECRET_KEY);
  await page.click('#signin-form button');
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const seen = {};
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const errors = [];
    const blocked = [];
    page.on('pageerror', e => errors.push(e.message));
    page.on('console', m => { if (m.text().includes('Content Security Policy')) blocked.push(m.text()); });
    const answer = await page.goto(url);
    seen.policy = answer.headers()['content-security-policy'];
    await page.fill('#access-key', 'AKWRONG');
    await page.fill('#secret-key', 'wrong');
    await page.click('#signin-form button');
    await page.waitForFunction(() => document.querySelector('#signin-error').textContent.length > 0);
    seen.wrongKeyMessage = await page.textContent('#signin-error');
    await signIn(page);

    // Clusters, then a cluster opened with the keyboard.
    await page.waitForSelector('#clusters tbody tr.pick');
    seen.tokenStored = await page.evaluate(() => (sessionStorage.getItem('receiverToken') || '').length > 20);
    seen.clusters = await cells(page, '#clusters', 0);
    seen.clusterRows = await page.$$eval('#clusters tbody tr', rows => rows.map(r =>
      Array.from(r.cells).map(c => c.textContent).join('|')));
    seen.clusterNotes = await page.textContent('#cluster-notes');
    await shot(page, 'clusters');
    await page.focus('#clusters tbody tr.pick');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#kinds tbody a');
    seen.clusterHash = await page.evaluate(() => location.hash);
    seen.kinds = await page.$$eval('#kinds tbody tr', rows => rows.map(r => r.cells[0].textContent + '=' + r.cells[2].textContent));
    seen.releases = await cells(page, '#releases', 0);
    seen.changes = await page.textContent('#changes');
    seen.crumbs = await page.textContent('#crumbs');
    await shot(page, 'cluster');
    // The changes over a window of time, across every delta in it.
    await page.selectOption('#changes-window', '1h');
    await page.waitForFunction(() => location.hash.includes('changes=1h') && document.querySelector('#changes').textContent.includes('Nothing retained'));
    seen.hourChanges = await page.textContent('#changes');
    seen.hourHash = await page.evaluate(() => location.hash);

    // A kind's objects: paged, then filtered by labels and a name prefix.
    await page.click('#kinds tbody a:text-is("ConfigMap")');
    await page.waitForSelector('#objects tbody a');
    seen.firstPage = await cells(page, '#objects', 0);
    seen.firstPageCount = await page.textContent('#objects-count');
    await page.click('#objects-next');
    await page.waitForFunction(() => document.querySelector('#objects-count').textContent.startsWith('Page 2'));
    seen.secondPage = await cells(page, '#objects', 0);
    seen.firstLinkShown = await page.isVisible('#objects-first');
    await page.fill('#f-labels', 'app=web');
    await page.fill('#f-prefix', 'cache-00');
    await page.press('#f-prefix', 'Enter');
    await page.waitForFunction(() => location.hash.includes('labels=') && document.querySelectorAll('#objects tbody a').length === 5);
    seen.filtered = await cells(page, '#objects', 0);
    seen.filteredLabels = await cells(page, '#objects', 2);
    seen.filterHash = await page.evaluate(() => location.hash);
    await shot(page, 'objects');

    // An object by a URL typed in: a Pod with its owners, the release it belongs to, its body.
    await page.evaluate(() => { location.hash = '#/clusters/prod-eu/objects?apiVersion=v1&kind=Pod&namespace=shop&name=web'; });
    await page.waitForFunction(() => document.querySelectorAll('#objects tbody a').length === 2);
    seen.pods = await cells(page, '#objects', 0);
    await page.click('#objects tbody a:text-is("web-7c9d-a")');
    await page.waitForSelector('#tree .here');
    seen.detailTitle = await page.textContent('#detail-title');
    seen.detailLabels = await page.$$eval('#labels tbody tr', rows => rows.map(r => r.cells[0].textContent + '=' + r.cells[1].textContent));
    seen.belongs = await page.textContent('#belongs');
    seen.treeHere = await page.textContent('#tree .here');
    seen.treeLinks = await page.$$eval('#tree a', links => links.map(a => a.textContent));
    seen.yaml = await page.textContent('#yaml');
    seen.objectCrumbs = await page.textContent('#crumbs');
    await shot(page, 'object');

    // An object's history: the Deployment scaled in prod-eu's second snapshot, and the diff of that change.
    await page.evaluate(() => { location.hash = '#/clusters/prod-eu/objects/prod-eu-dep-web'; });
    await page.waitForFunction(() => document.querySelectorAll('#history tbody tr').length === 2
      && document.querySelector('#detail-title').textContent.includes('Deployment'));
    seen.history = await cells(page, '#history', 2);
    await page.click('#history tbody tr:nth-child(2) a');
    await page.waitForSelector('#diff:not(.hidden) div');
    seen.diffHash = await page.evaluate(() => location.hash);
    seen.diffTitle = await page.textContent('#diff-title');
    seen.diffAdded = await page.$$eval('#diff .added', lines => lines.map(l => l.textContent));
    seen.diffDeleted = await page.$$eval('#diff .deleted', lines => lines.map(l => l.textContent));
    seen.diffFolded = await page.$$eval('#diff .same', lines => lines.some(l => l.textContent.includes('unchanged line')));
    await page.evaluate(() => document.querySelector('#history').scrollIntoView());
    await shot(page, 'history');

    // Markup from the cluster stays text.
    await page.evaluate(() => { location.hash = '#/clusters/prod-eu/objects/prod-eu-cm-web'; });
    await page.waitForFunction(() => document.querySelector('#detail-title').textContent.includes('web-settings'));
    seen.markupYaml = await page.textContent('#yaml');
    seen.markupLabels = await page.$$eval('#labels tbody tr', rows => rows.map(r => r.cells[1].textContent));
    seen.injected = await page.evaluate(() => window.injected === 1 || document.querySelectorAll('main img').length > 0);

    // Images across the clusters the key reads, then a search.
    await page.click('#nav-images');
    await page.waitForSelector('#images tbody tr td + td');
    seen.images = await page.$$eval('#images tbody tr', rows => rows.map(r => r.cells[0].textContent + ' ' + r.cells[1].textContent
      + ' pods=' + r.cells[2].textContent + ' clusters=' + r.cells[3].textContent));
    seen.envoyWorkloads = await page.$$eval('#images tbody tr', rows => rows.filter(r => r.cells[0].textContent.includes('envoy'))
      .map(r => [...r.cells[4].querySelectorAll('li')].map(li => li.textContent)).flat());
    await shot(page, 'images');
    await page.fill('#q-image', 'nginx');
    await page.press('#q-image', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('#images tbody tr').length === 2);
    seen.nginx = await cells(page, '#images', 1);

    // Helm charts across clusters, the older version marked.
    await page.click('#nav-charts');
    await page.waitForSelector('#charts tbody tr.group');
    seen.charts = await page.$$eval('#charts tbody tr', rows => rows.map(r => [r.cells[1].textContent, r.cells[2].textContent,
      r.cells[3].textContent, r.classList.contains('outdated') ? 'outdated' : 'current'].join(' ')));
    seen.chartHeads = await page.$$eval('#charts tbody tr.group', rows => rows.map(r => r.cells[0].textContent));
    await shot(page, 'charts');

    // A shared URL: a new tab signs in and lands on the view the URL names.
    const shared = await context.newPage();
    await shared.goto(url + '#/charts?search=postgres');
    await signIn(shared);
    await shared.waitForSelector('#charts tbody tr.group');
    seen.sharedCharts = await shared.$$eval('#charts tbody tr.group', rows => rows.map(r => r.cells[0].textContent));
    seen.sharedSearch = await shared.inputValue('#q-chart');
    await shared.close();

    // Signing out must revoke the token on the server, not only forget it in the tab.
    const oldToken = await page.evaluate(() => sessionStorage.getItem('receiverToken'));
    const revoked = page.waitForResponse(r => r.url().endsWith('/account/access_keys/logout'));
    await page.click('#signout');
    seen.signOutStatus = (await revoked).status();
    seen.afterSignOut = await page.evaluate(async t => (await fetch('/v1/clusters',
      { headers: { Authorization: 'Bearer ' + t } })).status, oldToken);
    seen.errors = errors;
    seen.consoleErrors = blocked;
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(seen));
})().catch(e => { console.error(e.stack || String(e)); process.exit(1); });
