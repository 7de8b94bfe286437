'use strict';
// Raw-socket HTTP for the hostile-input tests: write exact bytes (optionally slowly), collect
// everything the server sends until it closes or a timeout, and split the bytes into the
// HTTP/1.1 responses they contain. Nothing here tolerates a malformed response: a response
// that does not parse fails the test.
const fs = require('node:fs');
const net = require('node:net');
const { execFileSync } = require('node:child_process');

// Connects, writes each chunk (Buffer|string) with `gapMs` between them, and resolves
// { data: Buffer, closed: bool (server closed), elapsedMs, closedAtMs, error }
// after the server closes or `timeoutMs` passes (the socket is then destroyed).
function exchange(port, chunks, { gapMs = 0, timeoutMs = 10000, halfClose = false } = {}) {
  return new Promise(resolve => {
    const started = Date.now();
    const sock = net.connect({ host: '127.0.0.1', port });
    const parts = [];
    let done = false;
    let closedAtMs = null;
    let error = null;
    const finish = closed => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ data: Buffer.concat(parts), closed, elapsedMs: Date.now() - started, closedAtMs, error });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('data', d => parts.push(d));
    sock.on('end', () => { closedAtMs = Date.now() - started; finish(true); });
    sock.on('close', () => { if (closedAtMs === null) closedAtMs = Date.now() - started; finish(true); });
    sock.on('error', e => { error = e.code || e.message; });
    sock.on('connect', async () => {
      for (const c of chunks) {
        if (done || sock.destroyed) return;
        sock.write(c);
        if (gapMs) await new Promise(r => setTimeout(r, gapMs));
      }
      if (halfClose && !sock.destroyed) sock.end();
    });
  });
}

// Splits `buf` into HTTP responses. Each: { status, reason, headers (lower-cased names ->
// value; repeated names joined by ', '), rawHead, body (string), json (or undefined) }.
// Throws on bytes that are not a well-formed response sequence.
function parseResponses(buf) {
  const out = [];
  let off = 0;
  while (off < buf.length) {
    const end = buf.indexOf('\r\n\r\n', off);
    if (end < 0) throw new Error(`truncated response head: ${JSON.stringify(buf.slice(off, off + 200).toString('latin1'))}`);
    const rawHead = buf.slice(off, end).toString('latin1');
    const lines = rawHead.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0]);
    if (!m) throw new Error(`bad status line: ${JSON.stringify(lines[0])}`);
    const headers = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      if (i <= 0) throw new Error(`bad header line: ${JSON.stringify(l)}`);
      const k = l.slice(0, i).trim().toLowerCase();
      const v = l.slice(i + 1).trim();
      headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    }
    const len = Number(headers['content-length'] || 0);
    const bodyStart = end + 4;
    if (bodyStart + len > buf.length) throw new Error('truncated response body');
    const body = buf.slice(bodyStart, bodyStart + len).toString('utf8');
    let json;
    try { json = JSON.parse(body); } catch (_) { json = undefined; }
    out.push({ status: Number(m[1]), reason: m[2], headers, rawHead, body, json });
    off = bodyStart + len;
  }
  return out;
}

// The process's open-file limit (soft, hard), from /proc.
function fileLimits(pid = 'self') {
  const text = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(text);
  const n = s => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: n(m[1]), hard: n(m[2]) };
}

// Raises this process's soft open-file limit to `want` (at most the hard limit) with
// prlimit(1), so that it and the servers it spawns afterwards can hold that many sockets.
// Returns the soft limit now in force.
function raiseFileLimit(want) {
  const { soft, hard } = fileLimits();
  if (soft >= want) return soft;
  const target = Math.min(want, hard);
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${hard === Infinity ? 'unlimited' : hard}`]);
  } catch (_) { /* not permitted: report what we have */ }
  return fileLimits().soft;
}

// VmRSS of a process in KiB.
function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

// Open descriptors of a process.
function openFds(pid) {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

module.exports = { exchange, parseResponses, fileLimits, raiseFileLimit, rssKiB, openFds };
