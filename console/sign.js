// ACS3-HMAC-SHA256 (Alibaba Cloud V3) request signing with Web Crypto. The
// same module runs in the browser (the console) and under Node 20
// (tests/console/sign.test.mjs checks it against the SDK's recorded
// vectors, /work/shared/reference/sdk/vectors.json in the brief).
// Canonicalization (reference/sdk/README.md):
//   METHOD \n PATH \n sorted query (RFC 3986 values) \n
//   "name:value\n" per signed header (host, content-type, x-acs-*) \n
//   signed header names joined by ";" \n hex SHA-256 of the body
// string to sign: "ACS3-HMAC-SHA256\n" + hex SHA-256 of that; signature:
// hex HMAC-SHA256 of it keyed by the AccessKey secret.

export const ALGORITHM = 'ACS3-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const utf8 = new TextEncoder();

function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) {
    throw new Error('Web Crypto is not available: open the console over https:// or from ' +
                    'localhost / 127.0.0.1 (a secure context).');
  }
  return s;
}

function hex(buf) {
  return Array.from(new Uint8Array(buf), b => b.toString(16).padStart(2, '0')).join('');
}

// RFC 3986: keeps A-Z a-z 0-9 - _ . ~ and encodes every other UTF-8 byte.
export function percentEncode(value) {
  return encodeURIComponent(String(value))
    .replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

// Byte order, not locale order (names are ASCII).
const byName = ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0);

// [[name, value], ...] -> "a=1&b=x%20y", sorted by name.
export function canonicalQuery(pairs) {
  return [...pairs].sort(byName).map(([k, v]) => `${k}=${percentEncode(v)}`).join('&');
}

export async function sha256Hex(data) {
  const bytes = typeof data === 'string' ? utf8.encode(data) : data;
  return hex(await subtle().digest('SHA-256', bytes));
}

export async function hmacSha256Hex(secret, message) {
  const key = await subtle().importKey('raw', utf8.encode(secret),
                                       { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await subtle().sign('HMAC', key, utf8.encode(message)));
}

// The headers V3 signs: host, content-type and every x-acs-* header.
export function signedHeaderNames(headers) {
  return Object.keys(headers).map(n => n.toLowerCase())
    .filter(n => n === 'host' || n === 'content-type' || n.startsWith('x-acs-'))
    .sort();
}

// Signs one request. `headers` are lower-case names; `query` is
// [[name, value], ...] (decoded). Resolves {canonicalRequest, stringToSign,
// signature, signedHeaders, authorization}.
export async function signV3({ method, pathname = '/', query = [], headers, accessKeyId, secret, body = '' }) {
  const h = {};
  for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = String(v);
  const names = signedHeaderNames(h);
  const payloadHash = h['x-acs-content-sha256'] || await sha256Hex(body);
  const canonicalRequest = [
    method.toUpperCase(), pathname, canonicalQuery(query),
    names.map(n => `${n}:${h[n].trim()}\n`).join(''), names.join(';'), payloadHash,
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${await sha256Hex(canonicalRequest)}`;
  const signature = await hmacSha256Hex(secret, stringToSign);
  const signedHeaders = names.join(';');
  return {
    canonicalRequest, stringToSign, signature, signedHeaders,
    authorization: `${ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
  };
}
