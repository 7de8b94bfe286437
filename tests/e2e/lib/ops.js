'use strict';
// Helpers for the operations tests (ops_*.test.js): reading swasd's request log, running swasd
// to see it refuse a configuration, and a throwaway TLS CA made with the openssl CLI.
const assert = require('node:assert/strict');
const { spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { SWASD_BIN, startServer, makeTempDir, removeDir, newRootKey, rootEnv } = require('./server');

// One logfmt request line ("TIME LEVEL request k=v k="quoted v" ...") as an object; values
// unquoted and unescaped, "-" (absent) as null. Returns null for other lines.
function parseTextLine(line) {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (\w+) request( .*)$/.exec(line);
  if (!m) return null;
  const out = { time: m[1], level: m[2], msg: 'request' };
  const re = / (\w+)=("(?:[^"\\]|\\.)*"|\S+)/gy;
  let rest = m[3];
  let f;
  let consumed = 0;
  while ((f = re.exec(rest)) !== null) {
    consumed = re.lastIndex;
    let v = f[2];
    if (v.startsWith('"')) {
      v = v.slice(1, -1).replace(/\\(x[0-9a-f]{2}|.)/g, (_, e) =>
        e === 'n' ? '\n' : e === 't' ? '\t' : e.startsWith('x') && e.length === 3 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e);
    } else if (v === '-') {
      v = null;
    }
    out[f[1]] = v;
  }
  assert.equal(consumed, rest.length, `unparsed rest of the log line: ${JSON.stringify(rest.slice(consumed))}`);
  return out;
}

// Request lines in `text` (the server's stderr), parsed; format 'text' or 'json'. In JSON mode
// every line, diagnostics included, must be a JSON object.
function requestLines(text, format) {
  const lines = text.split('\n').filter(Boolean);
  if (format === 'json') {
    return lines.map(l => {
      let o;
      assert.doesNotThrow(() => { o = JSON.parse(l); }, `not JSON: ${l}`);
      assert.equal(typeof o, 'object');
      return o;
    }).filter(o => o.msg === 'request');
  }
  return lines.map(parseTextLine).filter(Boolean);
}

// Waits (the line is written before the answer, but the pipe is read asynchronously) for the
// request line with this RequestId on `server`'s stderr.
async function logLineOf(server, requestId, format = 'text', timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = requestLines(server.stderr, format).filter(l => l.request_id === requestId);
    if (found.length > 0) {
      assert.equal(found.length, 1, `one line per request: ${JSON.stringify(found)}`);
      return found[0];
    }
    if (Date.now() > deadline) {
      assert.fail(`no request line for ${requestId} in swasd's stderr:\n${server.stderr.slice(-3000)}`);
    }
    await new Promise(r => setTimeout(r, 50));
  }
}

// Runs swasd to completion (for refused configurations and --version). env: extra variables
// (no SWASD_* is inherited). Resolves {status, stdout, stderr}.
function runSwasd(args, env = {}, timeoutMs = 10000) {
  const base = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SWASD_')) base[k] = v;
  const r = spawnSync(SWASD_BIN, args, {
    env: Object.assign(base, env), encoding: 'utf8', timeout: timeoutMs,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// A CA and a server certificate for 127.0.0.1 and localhost signed by it, in `dir`.
// Resolves {caCert, cert, key} (paths).
function makeTestCa(dir) {
  const f = name => path.join(dir, name);
  const openssl = args => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2',
    '-subj', '/CN=swasd e2e test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(f('server.ext'), [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
  ].join('\n') + '\n');
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'),
    '-CAcreateserial', '-out', f('server.crt'), '-days', '2', '-extfile', f('server.ext')]);
  return { caCert: f('ca.crt'), cert: f('server.crt'), key: f('server.key') };
}

// The https port swasd printed ("swasd listening on https://HOST:PORT").
function httpsPortOf(server) {
  const m = /^swasd listening on https:\/\/127\.0\.0\.1:(\d+)$/m.exec(server.stdout);
  assert.ok(m, `no https listening line on stdout:\n${server.stdout}`);
  return Number(m[1]);
}

// swasd with an https listener (--tls-listen 127.0.0.1:0) on a fresh test CA, and its own root
// key. Resolves {server, root, ca, dataDir, certDir, httpsPort, stop()}; stop() also removes
// its directories.
async function startTlsServer() {
  const dataDir = makeTempDir();
  const certDir = makeTempDir('swasd-tls-');
  const ca = makeTestCa(certDir);
  const root = newRootKey();
  let server;
  try {
    server = await startServer({
      env: rootEnv(root), dataDir,
      args: ['--tls-listen', '127.0.0.1:0', '--tls-cert', ca.cert, '--tls-key', ca.key],
    });
  } catch (e) {
    removeDir(dataDir);
    removeDir(certDir);
    throw e;
  }
  return {
    server, root, ca, dataDir, certDir, httpsPort: httpsPortOf(server),
    async stop() {
      await server.stop();
      removeDir(dataDir);
      removeDir(certDir);
    },
  };
}

module.exports = { parseTextLine, requestLines, logLineOf, runSwasd, makeTestCa, httpsPortOf, startTlsServer };
