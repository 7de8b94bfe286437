// Signed API calls from the browser to swasd's own origin: the same V3
// request the official SDKs send (RPC style, parameters in the query, empty
// body), so authentication, RAM and the audit trail apply as for any SDK.
import { signV3, canonicalQuery, EMPTY_SHA256 } from './sign.js';

// "2024-01-01T00:00:00Z": x-acs-date has no fraction.
function isoSeconds(d = new Date()) {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Flattens {Name: value, List: [..], Objs: [{Key, Value}]} into wire pairs
// (List.1=.., Objs.1.Key=..), leaving out empty values.
export function toPairs(params) {
  const out = [];
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (item && typeof item === 'object') {
          for (const [f, fv] of Object.entries(item)) {
            if (fv !== undefined && fv !== null && fv !== '') out.push([`${k}.${i + 1}.${f}`, String(fv)]);
          }
        } else if (item !== undefined && item !== null && item !== '') {
          out.push([`${k}.${i + 1}`, String(item)]);
        }
      });
    } else {
      out.push([k, String(v)]);
    }
  }
  return out;
}

// One signed call. creds: {accessKeyId, accessKeySecret, securityToken?}.
// Resolves {request: {method, url, headers, signedHeaders, canonicalRequest,
// stringToSign}, status, body (parsed JSON or the text), ok}; rejects only
// when the network or Web Crypto fails.
export async function callApi({ creds, version, action, params = {} }) {
  const method = 'POST';
  const query = toPairs(params);
  const headers = {
    host: location.host,
    'x-acs-action': action,
    'x-acs-version': version,
    'x-acs-date': isoSeconds(),
    'x-acs-signature-nonce': crypto.randomUUID ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join(''),
    'x-acs-content-sha256': EMPTY_SHA256,
    accept: 'application/json',
  };
  if (creds.securityToken) headers['x-acs-security-token'] = creds.securityToken;
  const signed = await signV3({ method, pathname: '/', query, headers,
                                accessKeyId: creds.accessKeyId, secret: creds.accessKeySecret });
  const qs = canonicalQuery(query);
  const url = '/' + (qs ? '?' + qs : '');
  const sent = { ...headers, authorization: signed.authorization };
  // The browser sets Host itself (to this page's host, which was signed).
  const { host, ...fetchHeaders } = sent;
  const res = await fetch(url, { method, headers: fetchHeaders, cache: 'no-store',
                                 credentials: 'omit', redirect: 'error' });
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch (_) { body = text; }
  return {
    request: { method, url, headers: sent, signedHeaders: signed.signedHeaders,
               canonicalRequest: signed.canonicalRequest, stringToSign: signed.stringToSign },
    status: res.status, ok: res.ok, body,
  };
}

// The error of a failed call as {Code, Message, RequestId}, or null.
export function errorOf(result) {
  if (result.ok) return null;
  const b = result.body && typeof result.body === 'object' ? result.body : {};
  return { Code: b.Code || `HTTP ${result.status}`, Message: b.Message || String(result.body || ''),
           RequestId: b.RequestId || '' };
}
