'use strict';
// Issue 19's acceptance test: the web console (/console) in Debian's Chromium,
// driven by Playwright, against build/swasd. The test seeds a SWAS custom
// image through the official SDK, then through the page only: signs in (by
// keyboard), sees the image, Shares it (InShare flips, the ECS view lists it
// and an ECS instance the SDK launched from it),
// UnShares it, reads the regions, the identity and the image's audit events,
// runs ListRegions and a not-implemented operation in the explorer, and signs
// in as a RAM user without permissions to see Forbidden.RAM. The SDK checks
// that the page's calls really happened. A screenshot of each view goes to
// build/logs/console/ (a CI artifact).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const { REPO_ROOT, removeDir, rawRequest } = require('../e2e/lib/server');
const S = require('../e2e/lib/swas');
const R = require('../e2e/lib/ram');
const X = require('../e2e/lib/ecs');

const CHROMIUM = process.env.SWASD_CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(REPO_ROOT, 'build', 'logs', 'console');
const TIMEOUT = 20000;

describe('the web console in Chromium', () => {
  let env, swas, ram, browser, context, page, user, other, imageId, ecsInstance, base;
  const problems = [];  // CSP violations, script errors, failed loads
  const need = (...v) => v.forEach(x => assert.ok(x, 'an earlier step failed'));

  const shot = async name => {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };
  const ready = async view => {
    await page.waitForSelector(`main[data-ready="${view}"]`, { timeout: TIMEOUT });
  };
  const go = async view => {
    await page.goto(`${base}#/${view}`);
    await ready(view.split('/')[0]);
  };
  const imageRow = () => page.getByRole('row').filter({ hasText: imageId });

  // Every visible text element's contrast against its (first opaque)
  // background, WCAG 2 ratio; resolves those under 4.5:1 (AA).
  const lowContrast = () => page.evaluate(() => {
    const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = e => {
      for (; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c;
      }
      return [255, 255, 255];
    };
    const bad = [];
    for (const e of document.querySelectorAll('body *')) {
      const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (!own || !e.getClientRects().length || e.closest('[hidden]')) continue;
      const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) bad.push(`${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
    return bad;
  });

  async function signIn(key, { keyboard = false } = {}) {
    await page.goto(base);
    await ready('signin');
    if (keyboard) {
      // Tab order: the skip link, then the form's fields; Enter submits.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.name), 'accessKeyId');
      await page.keyboard.type(key.AccessKeyId);
      await page.keyboard.press('Tab');
      await page.keyboard.type(key.AccessKeySecret);
      await page.keyboard.press('Enter');
    } else {
      await page.getByLabel('AccessKey ID').fill(key.AccessKeyId);
      await page.getByLabel('AccessKey secret').fill(key.AccessKeySecret);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await ready('swas');
  }

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    env = await X.startEcs();
    base = `http://127.0.0.1:${env.port}/console/`;
    swas = S.swasClient(env.port, env.root);
    ram = R.ramClient(env.port, env.root);
    imageId = (await S.makeImage(swas, { name: 'console-seed', description: 'seeded by the console test' })).imageId;
    user = await R.makeUser(ram, { name: 'console-nobody' });  // no policies: may do nothing
    other = S.createAccount(env.dataDir, 'console-recipient');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', e => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', r => problems.push(`requestfailed: ${r.url()}`));
    page.on('request', r => {
      if (!r.url().startsWith(`http://127.0.0.1:${env.port}/`)) problems.push(`other origin: ${r.url()}`);
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('serves the page with its content types, a strict CSP and ETags; 404 for an unknown file', async () => {
    const html = await rawRequest(env.port, { path: '/console/' });
    assert.equal(html.status, 200);
    assert.match(html.headers['content-type'], /^text\/html/);
    const csp = html.headers['content-security-policy'];
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const js = await rawRequest(env.port, { path: '/console/app.js' });
    assert.match(js.headers['content-type'], /^text\/javascript/);
    assert.ok(js.headers.etag);
    const again = await rawRequest(env.port, { path: '/console/app.js', headers: { 'if-none-match': js.headers.etag } });
    assert.equal(again.status, 304);
    assert.equal((await rawRequest(env.port, { path: '/console/nope.js' })).status, 404);
    const model = (await rawRequest(env.port, { path: '/console/model.json' })).json;
    assert.ok(model.Products.some(p => p.Product === 'swas-open' && p.Operations.some(o => o.Action === 'ModifyImageShareStatus')));
  });

  it('signs in (keyboard only) and lists the SDK-seeded image, not shared', async () => {
    need(imageId);
    await page.goto(base);
    await ready('signin');
    await shot('01-signin');
    await signIn(env.root, { keyboard: true });
    await imageRow().first().waitFor({ timeout: TIMEOUT });
    const row = imageRow().first();
    await assert.doesNotReject(row.getByText('console-seed').waitFor({ timeout: TIMEOUT }));
    assert.equal(await row.locator('td').nth(3).innerText(), 'false');
    assert.equal(await page.evaluate(() => Object.keys(sessionStorage).length), 1);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).length), 0);
    await shot('02-swas');
    assert.deepEqual(await lowContrast(), []);
  });

  it('Share: InShare flips, the SDK sees it, and the ECS view lists the image', async () => {
    need(imageId);
    await page.getByRole('button', { name: `Share ${imageId}`, exact: true }).click();
    await page.getByRole('status').filter({ hasText: `Share ${imageId}: done.` }).waitFor({ timeout: TIMEOUT });
    await page.getByRole('button', { name: `UnShare ${imageId}` }).waitFor({ timeout: TIMEOUT });
    assert.equal(await imageRow().first().locator('td').nth(3).innerText(), 'true');
    assert.equal((await S.getCustomImage(swas, imageId)).inShare, true);
    await shot('03-swas-shared');
    // An ECS instance launched (through the ECS SDK) from the shared image.
    ecsInstance = await X.runOne(X.ecsClient(env.port, env.root), { imageId });
    await go('ecs');
    const row = imageRow().first();
    await row.waitFor({ timeout: TIMEOUT });
    assert.match(await row.innerText(), /others/);
    const launched = page.getByRole('row').filter({ hasText: ecsInstance });
    await launched.waitFor({ timeout: TIMEOUT });
    assert.match(await launched.innerText(), new RegExp(imageId));
    await shot('04-ecs');
  });

  it('UnShare: InShare back to false and the ECS view no longer lists it', async () => {
    need(imageId);
    await go('swas');
    await page.getByRole('button', { name: `UnShare ${imageId}` }).click();
    await page.getByRole('status').filter({ hasText: `UnShare ${imageId}: done.` }).waitFor({ timeout: TIMEOUT });
    await page.getByRole('button', { name: `Share ${imageId}`, exact: true }).waitFor({ timeout: TIMEOUT });
    assert.equal(await imageRow().first().locator('td').nth(3).innerText(), 'false');
    assert.equal((await S.getCustomImage(swas, imageId)).inShare, false);
    await go('ecs');
    await page.getByRole('heading', { name: 'Instances from shared images' }).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.getByRole('row').filter({ hasText: imageId }).count(), 0);
  });

  it('account sharing: Add account lists the account, Remove account takes it away', async () => {
    need(imageId, other);
    await go('swas');
    await page.getByLabel(`Account to share ${imageId} with`).fill(other.AccountId);
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('status').filter({ hasText: `Share ${imageId} with account: done.` }).waitFor({ timeout: TIMEOUT });
    await imageRow().first().getByRole('cell', { name: other.AccountId, exact: true }).waitFor({ timeout: TIMEOUT });
    await shot('05-swas-account-shared');
    await page.getByLabel(`Account to share ${imageId} with`).fill(other.AccountId);
    await page.getByRole('button', { name: 'Remove account' }).click();
    await page.getByRole('status').filter({ hasText: `Stop sharing ${imageId} with account: done.` }).waitFor({ timeout: TIMEOUT });
    assert.equal(await imageRow().first().locator('td').nth(4).innerText(), 'none');
  });

  it('regions, identity and the image\'s audit events', async () => {
    need(imageId);
    await go('regions');
    await page.getByRole('cell', { name: 'cn-hangzhou', exact: true }).waitFor({ timeout: TIMEOUT });
    await shot('06-regions');
    await go('identity');
    await page.locator('main dd').getByText(/^acs:ram::\d+:root$/).waitFor({ timeout: TIMEOUT });
    await shot('07-identity');
    await go(`audit/${imageId}`);
    const rows = page.getByRole('row').filter({ hasText: 'ModifyImageShareStatus' });
    await rows.first().waitFor({ timeout: TIMEOUT });
    assert.ok(await rows.count() >= 2, 'the Share and the UnShare');
    await shot('08-audit');
  });

  it('explorer: ListRegions shows the signed request and the answer', async () => {
    await go('explorer');
    await page.getByLabel('Product').selectOption({ label: 'swas-open (2020-06-01)' });
    await page.getByLabel('Operation').selectOption('ListRegions');
    await page.getByRole('button', { name: 'Send signed request' }).click();
    const answer = page.getByLabel('Answer', { exact: true });
    await answer.waitFor({ timeout: TIMEOUT });
    await page.getByRole('heading', { name: 'Answer: HTTP 200' }).waitFor({ timeout: TIMEOUT });
    assert.match(await answer.innerText(), /"RegionId": "cn-hangzhou"/);
    const req = await page.getByLabel('Signed request', { exact: true }).innerText();
    assert.match(req, /^POST \/\n/);
    assert.match(req, /x-acs-action: ListRegions/);
    assert.match(req, /authorization: ACS3-HMAC-SHA256 Credential=/);
    assert.match(req, /Signed headers: host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version/);
    await shot('09-explorer-listregions');
  });

  it('explorer: a not-implemented operation is marked and answers NotImplemented.Swasd', async () => {
    const model = (await rawRequest(env.port, { path: '/console/model.json' })).json;
    const missing = model.Products.find(p => p.Product === 'swas-open').NotImplemented;
    assert.ok(missing.length > 0, 'swasd implements every SWAS operation: pick another product');
    const op = missing[0];
    await page.getByLabel('Operation').selectOption(op);
    await page.getByText(`swasd does not implement ${op}`).waitFor({ timeout: TIMEOUT });
    await page.getByRole('button', { name: 'Send signed request' }).click();
    await page.getByRole('heading', { name: 'Answer: HTTP 400' }).waitFor({ timeout: TIMEOUT });
    const body = JSON.parse(await page.getByLabel('Answer', { exact: true }).innerText());
    assert.equal(body.Code, 'NotImplemented.Swasd');
    assert.match(body.RequestId, /\S/);
    await shot('10-explorer-not-implemented');
  });

  it('is usable at phone width: no sideways scrolling of the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await go('swas');
    await imageRow().first().waitFor({ timeout: TIMEOUT });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await shot('11-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('a RAM user without permissions signs in and sees Forbidden.RAM with its RequestId', async () => {
    need(user);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await ready('signin');
    assert.equal(await page.evaluate(() => Object.keys(sessionStorage).length), 0);
    await signIn(user.key);
    const refused = page.getByRole('alert').filter({ hasText: 'ListCustomImages refused' });
    await refused.waitFor({ timeout: TIMEOUT });
    const text = await refused.innerText();
    assert.match(text, /Forbidden\.RAM/);
    assert.match(text, /RequestId\s+[0-9A-F-]{36}/i);
    await shot('12-ram-forbidden');
    assert.deepEqual(await lowContrast(), []);
  });

  it('the page broke no CSP rule, threw nothing and talked to no other origin', () => {
    assert.deepEqual(problems.filter(p => !/status of 4\d\d/.test(p)), []);
  });
});
