'use strict';
// Shared helpers for the end-to-end suite: start/stop the real swasd binary, run swasctl,
// build the official SDK clients pointed at it, and sign raw requests ourselves (V1 and V3)
// for the protocol cases the SDKs cannot produce.
//
// The raw signers below are an independent implementation of the two signature schemes as
// written in the SDK reference (README §4 and §5); signers.test.js checks them against the
// recorded vectors and against the SDK's own OpenApiUtil, without any server.

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SWASD_BIN = path.resolve(REPO_ROOT, process.env.SWASD_BIN || 'build/swasd');
const SWASCTL_BIN = path.resolve(REPO_ROOT, process.env.SWASCTL_BIN || 'build/swasctl');

const SWAS_VERSION = '2020-06-01';
const START_TIMEOUT_MS = 10000;
const STOP_TIMEOUT_MS = 10000;
const SDK_TIMEOUT_MS = 10000;
const LISTEN_RE = /^swasd listening on http:\/\/127\.0\.0\.1:(\d+)\s*$/;

// An upper-case version-4 UUID, as Alibaba's RequestIds are.
const REQUEST_ID_RE = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// ------------------------------------------------------------------------------------------
// Temporary directories, credentials, time and nonces

function makeTempDir(prefix = 'swasd-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function removeDir(dir) {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

function randomDigits(n) {
  let s = String(1 + crypto.randomInt(9));
  while (s.length < n) s += String(crypto.randomInt(10));
  return s;
}

// A fresh root key for one server, in the form the env variables expect.
function newRootKey() {
  return {
    AccountId: randomDigits(16),
    AccessKeyId: 'LTAI' + crypto.randomBytes(10).toString('hex'),
    AccessKeySecret: crypto.randomBytes(15).toString('base64url'),
  };
}

function rootEnv(key) {
  return {
    SWASD_ROOT_ACCESS_KEY_ID: key.AccessKeyId,
    SWASD_ROOT_ACCESS_KEY_SECRET: key.AccessKeySecret,
    SWASD_ROOT_ACCOUNT_ID: key.AccountId,
  };
}

// UTC YYYY-MM-DDTHH:MM:SSZ, offset in milliseconds from now.
function isoTimestamp(offsetMs = 0) {
  return new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function newNonce() {
  return crypto.randomBytes(32).toString('hex');
}

function sha256Hex(data) {
  return crypto.createHash('sha256').update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest('hex');
}

// ------------------------------------------------------------------------------------------
// The store behind a data dir: SQLite in the data dir itself, or -- when
// SWASD_E2E_DATABASE_ADMIN_DSN names a PostgreSQL server (a role that may CREATE DATABASE,
// e.g. the DSN scripts/pg-cluster.sh prints) -- a fresh PostgreSQL database per data dir.
// The database is created on the data dir's first use (by startServer or swasctl) and
// recorded in the data dir, so a restart on the same data dir and swasctl find the same
// database; the data dir still receives root-credentials and holds the master key file.
// Databases are dropped when the test process exits.

const PG_ADMIN_DSN = process.env.SWASD_E2E_DATABASE_ADMIN_DSN || '';
const PSQL_BIN = process.env.PSQL_BIN || 'psql';
const PG_STORE_FILE = '.swasd-e2e-database.json';

function usingPostgres() {
  return PG_ADMIN_DSN !== '';
}

// `dsn` pointed at database `name` (URI or key=value form).
function dsnWithDatabase(dsn, name) {
  if (!/^postgres(ql)?:\/\//.test(dsn)) return `${dsn} dbname=${name}`;
  const u = new URL(dsn);
  u.pathname = '/' + name;
  return u.toString();
}

// Runs each SQL statement (outside a transaction) with psql against `dsn`; returns stdout.
function psql(statements, dsn = PG_ADMIN_DSN) {
  const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', dsn];
  for (const sql of [].concat(statements)) args.push('-c', sql);
  try {
    return execFileSync(PSQL_BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
  } catch (e) {
    throw new Error(`psql ${JSON.stringify(statements)} failed: ${e.stderr || e.message}`);
  }
}

const createdDatabases = new Set();

// A new empty database on the admin server; resolves {name, dsn}.
function createDatabase(prefix = 'swasd_e2e_') {
  const name = prefix + crypto.randomBytes(8).toString('hex');
  psql(`CREATE DATABASE ${name}`);
  createdDatabases.add(name);
  return { name, dsn: dsnWithDatabase(PG_ADMIN_DSN, name) };
}

function dropDatabase(name) {
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  createdDatabases.delete(name);
}

// The PostgreSQL store of `dataDir` ({database, masterKeyFile}), created on first use.
function pgStoreOf(dataDir) {
  const file = path.join(dataDir, PG_STORE_FILE);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const db = createDatabase();
  const store = { database: db.dsn, name: db.name, masterKeyFile: path.join(dataDir, 'pg-master.key') };
  fs.writeFileSync(file, JSON.stringify(store));
  return store;
}

// The swasd/swasctl arguments naming the store of `dataDir`.
function storeArgs(dataDir) {
  if (!usingPostgres()) return ['--data-dir', dataDir];
  const s = pgStoreOf(dataDir);
  return ['--data-dir', dataDir, '--database', s.database, '--master-key-file', s.masterKeyFile];
}

// ------------------------------------------------------------------------------------------
// swasd process management

const live = new Set();
process.on('exit', () => {
  for (const p of live) {
    try { p.kill('SIGKILL'); } catch (_) { /* already gone */ }
  }
  if (createdDatabases.size > 0) {
    try {
      psql([...createdDatabases].map(n => `DROP DATABASE IF EXISTS ${n} WITH (FORCE)`));
    } catch (_) { /* the server may be gone; the cluster is throwaway */ }
  }
});

function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('SWASD_ROOT_')) env[k] = v;
  }
  // Every answer in the suite must fit the official SDK's response model
  // (gateway/conform.h); a misfit is an InternalError the tests see.
  if (env.SWASD_STRICT_ANSWERS === undefined) env.SWASD_STRICT_ANSWERS = 'true';
  for (const [k, v] of Object.entries(extra || {})) {
    if (v === undefined || v === null) delete env[k];
    else env[k] = String(v);
  }
  return env;
}

// Starts swasd on a free port. Resolves once it printed its listening line.
//   env:     extra environment (SWASD_ROOT_* are never inherited from the caller's environment)
//   dataDir: data directory (a fresh temporary one if omitted; the caller removes it); its
//            store is SQLite in it, or its PostgreSQL database (see storeArgs)
//   database, masterKeyFile: a PostgreSQL store to use instead of the data dir's
//   store:   the store arguments exactly (e.g. ['--data-dir', d] for SQLite in any stage)
//   args:    extra command-line arguments
//   noStore: pass no store flags at all (with --ephemeral in args; dataDir is then null)
async function startServer({ env = {}, dataDir, args = [], database, masterKeyFile, store: storeArgv, noStore = false } = {}) {
  if (!fs.existsSync(SWASD_BIN)) throw new Error(`swasd binary not found at ${SWASD_BIN} (set SWASD_BIN)`);
  dataDir = noStore ? null : dataDir || makeTempDir();
  const store = noStore ? []
    : storeArgv || (database
      ? ['--data-dir', dataDir, '--database', database, '--master-key-file', masterKeyFile || path.join(dataDir, 'pg-master.key')]
      : storeArgs(dataDir));
  const argv = ['--listen', '127.0.0.1:0', ...store, ...args];
  const proc = spawn(SWASD_BIN, argv, { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let stdout = '';
  let stderr = '';
  let exited = null;
  const exitPromise = new Promise(resolve => {
    proc.on('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(proc);
      resolve(exited);
    });
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', d => { stderr += d; });
  proc.stdout.setEncoding('utf8');

  const describe = () =>
    `${SWASD_BIN} ${argv.join(' ')}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;

  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`swasd did not print its listening line within ${START_TIMEOUT_MS} ms\n${describe()}`));
    }, START_TIMEOUT_MS);
    proc.on('error', err => { clearTimeout(timer); reject(new Error(`cannot spawn swasd: ${err.message}\n${describe()}`)); });
    exitPromise.then(e => {
      clearTimeout(timer);
      reject(new Error(`swasd exited (code ${e.code}, signal ${e.signal}) before listening\n${describe()}`));
    });
    proc.stdout.on('data', d => {
      stdout += d;
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = LISTEN_RE.exec(line);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      }
    });
  });

  const server = {
    port,
    endpoint: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    proc,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    get exited() { return exited; },
    describe,
    // Graceful stop: SIGTERM, wait for the exit. Resolves {code, signal}. SIGKILL after a timeout.
    async stop() {
      if (exited) return exited;
      proc.kill('SIGTERM');
      let timer;
      const killed = new Promise(resolve => {
        timer = setTimeout(() => { proc.kill('SIGKILL'); resolve(); }, STOP_TIMEOUT_MS);
      });
      await Promise.race([exitPromise, killed]);
      clearTimeout(timer);
      return exitPromise;
    },
    // Hard stop for cleanup; never throws.
    kill() {
      if (!exited) { try { proc.kill('SIGKILL'); } catch (_) { /* gone */ } }
      return exitPromise;
    },
  };
  return server;
}

// ------------------------------------------------------------------------------------------
// swasctl

// dataDir null: `args` name the store themselves.
function swasctlRaw(args, dataDir) {
  try {
    const stdout = execFileSync(SWASCTL_BIN, [...(dataDir === null ? [] : storeArgs(dataDir)), ...args], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20000, env: cleanEnv({}),
    });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error(`swasctl binary not found at ${SWASCTL_BIN} (set SWASCTL_BIN)`);
    return { status: e.status, signal: e.signal, stdout: String(e.stdout || ''), stderr: String(e.stderr || '') };
  }
}

// Runs swasctl and returns its JSON output (the last non-empty stdout line), or the raw
// stdout if it is not JSON. Throws with the full output if the exit status is not 0.
function swasctl(args, dataDir) {
  const r = swasctlRaw(args, dataDir);
  if (r.status !== 0) {
    throw new Error(`swasctl ${args.join(' ')} exited ${r.status}${r.signal ? ' (' + r.signal + ')' : ''}\n` +
      `--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
  const lines = r.stdout.split('\n').map(s => s.trim()).filter(Boolean);
  if (lines.length === 0) return r.stdout;
  try { return JSON.parse(lines[lines.length - 1]); } catch (_) { return r.stdout; }
}

// ------------------------------------------------------------------------------------------
// Official SDK clients

const clients = {
  // @alicloud/swas-open20200601 on @alicloud/openapi-core. extra: more Config fields
  // (signatureAlgorithm: 'v2', globalParameters, ...).
  swas(port, ak, secret, extra = {}) {
    const Swas = require('@alicloud/swas-open20200601');
    const { $OpenApiUtil } = require('@alicloud/openapi-core');
    return new Swas.default(new $OpenApiUtil.Config(Object.assign({
      accessKeyId: ak, accessKeySecret: secret,
      endpoint: `127.0.0.1:${port}`, protocol: 'http', regionId: 'cn-hangzhou',
      readTimeout: SDK_TIMEOUT_MS, connectTimeout: SDK_TIMEOUT_MS,
    }, extra)));
  },
  // The generic openapi-core client, for callApi with arbitrary actions/versions.
  openapi(port, ak, secret, extra = {}) {
    const OpenApi = require('@alicloud/openapi-core');
    return new OpenApi.default(new OpenApi.$OpenApiUtil.Config(Object.assign({
      accessKeyId: ak, accessKeySecret: secret,
      endpoint: `127.0.0.1:${port}`, protocol: 'http', regionId: 'cn-hangzhou',
      readTimeout: SDK_TIMEOUT_MS, connectTimeout: SDK_TIMEOUT_MS,
    }, extra)));
  },
  // @alicloud/pop-core RPCClient (V1 signature, GET by default).
  pop(port, ak, secret, apiVersion = SWAS_VERSION) {
    const { RPCClient } = require('@alicloud/pop-core');
    return new RPCClient({
      accessKeyId: ak, accessKeySecret: secret,
      endpoint: `http://127.0.0.1:${port}`, apiVersion,
      opts: { readTimeout: SDK_TIMEOUT_MS, connectTimeout: SDK_TIMEOUT_MS },
    });
  },
};

// Calls `action` through openapi-core's generic callApi, shaped like a swas RPC operation.
async function callApi(client, action, { version = SWAS_VERSION, query = {}, method = 'POST' } = {}) {
  const OpenApi = require('@alicloud/openapi-core');
  const $dara = require('@darabonba/typescript');
  const params = new OpenApi.$OpenApiUtil.Params({
    action, version, protocol: 'HTTPS', pathname: '/', method, authType: 'AK',
    style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const req = new OpenApi.$OpenApiUtil.OpenApiRequest({ query: OpenApi.OpenApiUtil.query(query) });
  return client.callApi(params, req, new $dara.RuntimeOptions({
    readTimeout: SDK_TIMEOUT_MS, connectTimeout: SDK_TIMEOUT_MS,
  }));
}

// ------------------------------------------------------------------------------------------
// Raw signing (README §4 V3, §5 V1)

// RFC 3986: keep A-Z a-z 0-9 - _ . ~, every other UTF-8 byte as %XX (upper-case hex).
function percentEncode(s) {
  let out = '';
  for (const b of Buffer.from(String(s), 'utf8')) {
    const unreserved = (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) ||
      b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e;
    out += unreserved ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function byteCompare(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// Accepts {k: v} or [[k, v], ...]; returns pairs (duplicates allowed), values stringified.
function toPairs(params) {
  if (!params) return [];
  const pairs = Array.isArray(params) ? params : Object.entries(params);
  return pairs.filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [String(k), String(v)]);
}

function sortPairs(pairs) {
  return pairs.slice().sort((a, b) => byteCompare(a[0], b[0]) || byteCompare(a[1], b[1]));
}

// Wire query string (RFC 3986 encoded, in the order given).
function encodeQuery(params) {
  return toPairs(params).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}

// V1 (HMAC-SHA1). params: every parameter except Signature (query and form body together).
function signV1({ method = 'GET', params, secret }) {
  const canonical = sortPairs(toPairs(params)).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  const stringToSign = `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
  const signature = crypto.createHmac('sha1', secret + '&').update(stringToSign, 'utf8').digest('base64');
  return { stringToSign, signature };
}

// The common V1 parameters for an action (override or remove any of them with `overrides`;
// an override value of null removes the parameter).
function v1Params({ action, version = SWAS_VERSION, accessKeyId, params = {}, overrides = {} }) {
  const base = {
    Action: action, Version: version, Format: 'JSON', AccessKeyId: accessKeyId,
    SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: newNonce(),
    Timestamp: isoTimestamp(),
  };
  const all = Object.assign(base, params, overrides);
  for (const k of Object.keys(all)) if (all[k] === null || all[k] === undefined) delete all[k];
  return all;
}

// V3 (ACS3-HMAC-SHA256).
//   method, pathname ('/'), query ({k:v} or pairs), headers (name → value; names are
//   lower-cased), signedHeaders (array; default: host, content-type and every x-acs-*),
//   payloadHash (the hash to sign: default x-acs-content-sha256 or sha256(''))
function signV3({ method = 'POST', pathname = '/', query = {}, headers, signedHeaders, payloadHash, accessKeyId, secret }) {
  const h = {};
  for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = String(v);
  const names = (signedHeaders || Object.keys(h).filter(n => n === 'host' || n === 'content-type' || n.startsWith('x-acs-')))
    .map(n => n.toLowerCase()).sort();
  const hash = payloadHash || h['x-acs-content-sha256'] || EMPTY_SHA256;
  const canonicalQuery = sortPairs(toPairs(query)).map(([k, v]) => `${k}=${percentEncode(v)}`).join('&');
  const canonicalHeaders = names.map(n => `${n}:${(h[n] || '').trim()}\n`).join('');
  const signedHeadersStr = names.join(';');
  const canonicalRequest = [method.toUpperCase(), pathname, canonicalQuery, canonicalHeaders, signedHeadersStr, hash].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  const signature = crypto.createHmac('sha256', secret).update(stringToSign, 'utf8').digest('hex');
  const authorization = `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${signedHeadersStr},Signature=${signature}`;
  return { canonicalRequest, stringToSign, signature, signedHeaders: signedHeadersStr, authorization };
}

// Builds a complete V3 request for rawRequest(): the SDK's header layout, signed.
//   headers: overrides/additions (null removes a default header before signing)
//   contentSha256: the value to send in x-acs-content-sha256 (default: the body's real hash)
function buildV3Request({ port, action, version = SWAS_VERSION, query = {}, body = '', accessKeyId, secret, headers = {}, contentSha256, method = 'POST' }) {
  const bodyBuf = Buffer.from(body, 'utf8');
  const h = {
    host: `127.0.0.1:${port}`,
    'x-acs-action': action,
    'x-acs-version': version,
    'x-acs-date': isoTimestamp(),
    'x-acs-signature-nonce': newNonce(),
    'x-acs-content-sha256': contentSha256 || sha256Hex(bodyBuf),
    accept: 'application/json',
  };
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete h[k.toLowerCase()]; else h[k.toLowerCase()] = v;
  }
  const signed = signV3({ method, query, headers: h, accessKeyId, secret });
  h.authorization = signed.authorization;
  const qs = encodeQuery(query);
  return { method, path: '/' + (qs ? '?' + qs : ''), headers: h, body: bodyBuf, signed };
}

// Builds a complete V1 GET (params in the query, Signature last) or POST form request.
function buildV1Request({ method = 'GET', params, secret, signature }) {
  const sig = signature !== undefined ? signature : signV1({ method, params, secret }).signature;
  const pairs = sortPairs(toPairs(params));
  if (sig !== null) pairs.push(['Signature', sig]);
  const qs = encodeQuery(pairs);
  if (method.toUpperCase() === 'POST') {
    return {
      method: 'POST', path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(qs, 'utf8'),
    };
  }
  return { method: method.toUpperCase(), path: '/?' + qs, headers: {}, body: Buffer.alloc(0) };
}

// One HTTP request with node:http, no keep-alive. Resolves
// {status, headers, body (string), json (parsed JSON or undefined)}.
function rawRequest(port, { method = 'GET', path: reqPath = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined || body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(String(body), 'utf8');
    const h = Object.assign({}, headers);
    if (payload && payload.length && h['content-length'] === undefined) h['content-length'] = String(payload.length);
    const req = http.request({ host: '127.0.0.1', port, method, path: reqPath, headers: h, agent: false }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch (_) { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, body: text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(SDK_TIMEOUT_MS, () => req.destroy(new Error(`raw ${method} ${reqPath}: timeout`)));
    req.on('error', reject);
    if (payload && payload.length) req.write(payload);
    req.end();
  });
}

module.exports = {
  REPO_ROOT, SWASD_BIN, SWASCTL_BIN, SWAS_VERSION, REQUEST_ID_RE, EMPTY_SHA256,
  makeTempDir, removeDir, newRootKey, rootEnv, isoTimestamp, newNonce, sha256Hex,
  startServer, swasctl, swasctlRaw, clients, callApi,
  PG_ADMIN_DSN, usingPostgres, storeArgs, psql, createDatabase, dropDatabase, dsnWithDatabase,
  percentEncode, encodeQuery, signV1, signV3, v1Params, buildV1Request, buildV3Request, rawRequest,
};
