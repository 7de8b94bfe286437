// The console's browser signer (console/sign.js), run under Node's Web
// Crypto: it must reproduce the official SDK's recorded V3 requests
// (reference/sdk/vectors.json) and agree with the e2e suite's Node signer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { signV3, percentEncode, canonicalQuery } from '../../console/sign.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const vectors = JSON.parse(fs.readFileSync(path.resolve(root, '../shared/reference/sdk/vectors.json'), 'utf8'));
const require = createRequire(import.meta.url);
const e2e = require('../e2e/lib/server.js');

const v3 = vectors.filter(v => v.scheme === 'ACS3-HMAC-SHA256');

test('there are V3 vectors to check', () => assert.ok(v3.length >= 2));

for (const [i, v] of v3.entries()) {
  test(`SDK vector ${i} (${v.request.headers['x-acs-action']}): same canonical request and signature`, async () => {
    const url = new URL(v.request.url, 'http://x');
    const query = [...url.searchParams.entries()];
    const headers = { ...v.request.headers };
    const auth = headers.authorization;
    delete headers.authorization;
    const accessKeyId = /Credential=([^,]+)/.exec(auth)[1];
    const s = await signV3({ method: v.request.method, pathname: url.pathname, query, headers,
                             accessKeyId, secret: v.secret, body: v.request.body });
    assert.equal(s.canonicalRequest, v.canonicalRequest);
    assert.equal(s.authorization, auth);
  });
}

test('agrees with the e2e suite\'s Node signer on awkward values', async () => {
  const query = { RegionId: 'cn-hangzhou', Description: "a b+c/d=e&f~g'h 中文*()!", 'Tag.1.Key': 'k', Empty: '' };
  const headers = { host: '127.0.0.1:1', 'x-acs-action': 'X', 'x-acs-version': '2020-06-01',
                    'x-acs-date': '2024-01-01T00:00:00Z', 'x-acs-signature-nonce': 'n',
                    'x-acs-content-sha256': e2e.EMPTY_SHA256, 'content-type': 'application/json', accept: 'application/json' };
  const mine = await signV3({ method: 'POST', query: Object.entries(query), headers, accessKeyId: 'id', secret: 's3cret' });
  const theirs = e2e.signV3({ method: 'POST', query, headers, accessKeyId: 'id', secret: 's3cret' });
  assert.equal(mine.canonicalRequest, theirs.canonicalRequest);
  assert.equal(mine.authorization, theirs.authorization);
});

test('RFC 3986 encoding and byte-order sorting', () => {
  assert.equal(percentEncode("*()!'~ -_."), "%2A%28%29%21%27~%20-_.");
  assert.equal(percentEncode('中'), '%E4%B8%AD');
  assert.equal(canonicalQuery([['b', '1'], ['a', 'x y'], ['B', '']]), 'B=&a=x%20y&b=1');
});
