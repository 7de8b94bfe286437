// The swasd console: views over signed API calls (api.js) and the API
// explorer, whose forms come from /console/model.json, the operation table
// the server routes by. The AccessKey lives in sessionStorage only (this
// tab, until it closes or "Sign out").
import { callApi, errorOf } from './api.js';

const KEY = 'swasd.console.session';
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const sessionBar = document.getElementById('session');
const regionInput = document.getElementById('region');
const who = document.getElementById('who');

let model = null;  // /console/model.json
let renderSeq = 0;  // a newer render wins over a slower older one

// ---- small DOM helpers ---------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

let ids = 0;
const uid = p => `${p}-${++ids}`;

function kv(obj) {
  return el('dl', { class: 'kv' }, Object.entries(obj).flatMap(([k, v]) =>
    [el('dt', { text: k }), el('dd', { text: typeof v === 'object' ? JSON.stringify(v) : String(v) })]));
}

// The refusal of a call: Code, Message and RequestId, announced.
function errorBox(err, what) {
  return el('div', { class: 'error', role: 'alert' },
    el('p', {}, el('strong', { text: `${what} refused` })), kv(err));
}

function okBox(text, requestId) {
  return el('div', { class: 'ok', role: 'status' }, el('p', { text }),
    requestId ? kv({ RequestId: requestId }) : null);
}

function table(caption, columns, rows) {
  if (!rows.length) return el('p', { class: 'empty', text: `No ${caption.toLowerCase()}.` });
  return el('div', { class: 'table-wrap' },
    el('table', {},
      el('caption', { class: 'visually-hidden', text: caption }),
      el('thead', {}, el('tr', {}, columns.map(c => el('th', { scope: 'col', text: c.title })))),
      el('tbody', {}, rows.map(r => el('tr', {}, columns.map(c => el('td', { 'data-label': c.title }, c.cell(r))))))));
}

const badge = (yes, yesText = 'true', noText = 'false') =>
  el('span', { class: `badge ${yes ? 'yes' : 'no'}`, text: yes ? yesText : noText });

// ---- session and model -----------------------------------------------------

function session() {
  try { return JSON.parse(sessionStorage.getItem(KEY)) || null; } catch (_) { return null; }
}
function saveSession(s) { sessionStorage.setItem(KEY, JSON.stringify(s)); }

async function loadModel() {
  if (!model) {
    const res = await fetch('model.json', { cache: 'no-cache' });
    model = await res.json();
  }
  return model;
}

function product(code) {
  const p = model.Products.find(x => x.Product === code);
  if (!p) throw new Error(`swasd serves no product ${code}`);
  return p;
}

// One call in the signed-in session.
async function call(code, action, params = {}) {
  const s = session();
  return callApi({ creds: s, version: product(code).Version, action, params });
}

const region = () => regionInput.value.trim() || 'cn-hangzhou';

// ---- views -------------------------------------------------------------

function heading(text) {
  const h = el('h1', { tabindex: '-1', text });
  return h;
}

function viewSignIn(root) {
  const idId = uid('ak'), secretId = uid('sk'), tokenId = uid('tok'), regId = uid('reg');
  const status = el('div', { 'aria-live': 'polite' });
  const form = el('form', { 'aria-labelledby': 'signin-title', novalidate: true },
    el('label', { for: idId, text: 'AccessKey ID' }),
    el('input', { id: idId, name: 'accessKeyId', required: true, autocomplete: 'username', spellcheck: 'false' }),
    el('label', { for: secretId, text: 'AccessKey secret' }),
    el('input', { id: secretId, name: 'accessKeySecret', type: 'password', required: true, autocomplete: 'current-password' }),
    el('label', { for: tokenId, text: 'STS security token (optional)' }),
    el('input', { id: tokenId, name: 'securityToken', autocomplete: 'off', spellcheck: 'false' }),
    el('label', { for: regId, text: 'Region' }),
    el('input', { id: regId, name: 'region', value: region(), autocomplete: 'off', spellcheck: 'false' }),
    el('p', { class: 'hint', text: 'The key stays in this browser tab (sessionStorage) and signs every call (V3, ACS3-HMAC-SHA256) to this server; RAM applies to each.' }),
    el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Sign in' })),
    status);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const f = new FormData(form);
    const s = { accessKeyId: f.get('accessKeyId').trim(), accessKeySecret: f.get('accessKeySecret'),
                securityToken: f.get('securityToken').trim() || undefined };
    if (!s.accessKeyId || !s.accessKeySecret) {
      status.replaceChildren(el('p', { class: 'error', role: 'alert', text: 'Enter the AccessKey ID and secret.' }));
      return;
    }
    regionInput.value = f.get('region').trim() || 'cn-hangzhou';
    saveSession(s);
    // Who am I: also proves the key (a wrong one fails here, with its code).
    try {
      await loadModel();
      const r = await call('sts', 'GetCallerIdentity');
      const err = errorOf(r);
      if (err && /AccessKey|Signature|SecurityToken/i.test(err.Code)) {
        sessionStorage.removeItem(KEY);
        status.replaceChildren(errorBox(err, 'Sign-in'));
        return;
      }
      s.identity = err ? null : { Arn: r.body.Arn, AccountId: r.body.AccountId };
      s.region = region();
      saveSession(s);
      navigate('#/swas');
    } catch (e) {
      sessionStorage.removeItem(KEY);
      status.replaceChildren(el('p', { class: 'error', role: 'alert', text: String(e.message || e) }));
    }
  });
  root.append(heading('Sign in'), form);
  root.querySelector('h1').id = 'signin-title';
}

async function viewRegions(root) {
  root.append(heading('Regions'));
  const r = await call('swas-open', 'ListRegions');
  const err = errorOf(r);
  if (err) return root.append(errorBox(err, 'ListRegions'));
  root.append(table('Regions', [
    { title: 'Region ID', cell: x => x.RegionId },
    { title: 'Name', cell: x => x.LocalName },
    { title: 'Endpoint', cell: x => x.RegionEndpoint },
    { title: 'Use', cell: x => el('button', { type: 'button', class: 'secondary', text: `Use ${x.RegionId}`,
        onclick: () => { regionInput.value = x.RegionId; regionChanged(); location.hash = '#/swas'; } }) },
  ], r.body.Regions || []));
}

// A section of the SWAS view: a list call and its table.
async function listSection(root, title, action, key, columns) {
  const section = el('section', { 'aria-labelledby': uid('h') });
  const h = el('h2', { id: section.getAttribute('aria-labelledby'), text: title });
  section.append(h);
  root.append(section);
  const r = await call('swas-open', action, { RegionId: region(), PageSize: 100 });
  const err = errorOf(r);
  if (err) { section.append(errorBox(err, action)); return null; }
  section.append(table(title, columns, r.body[key] || []));
  return r.body[key] || [];
}

async function viewSwas(root) {
  root.append(heading(`SWAS in ${region()}`));
  const outcome = el('div', { id: 'outcome', 'aria-live': 'polite' });
  root.append(outcome);
  const images = el('section', { 'aria-labelledby': 'images-h' }, el('h2', { id: 'images-h', text: 'Custom images' }));
  root.append(images);
  await Promise.all([
    listSection(root, 'Instances', 'ListInstances', 'Instances', [
      { title: 'Instance ID', cell: x => x.InstanceId }, { title: 'Name', cell: x => x.InstanceName },
      { title: 'Status', cell: x => x.Status }, { title: 'Image', cell: x => x.ImageId },
      { title: 'Public IP', cell: x => x.PublicIpAddress }]),
    listSection(root, 'Disks', 'ListDisks', 'Disks', [
      { title: 'Disk ID', cell: x => x.DiskId }, { title: 'Type', cell: x => x.DiskType },
      { title: 'Size (GB)', cell: x => x.Size }, { title: 'Status', cell: x => x.Status },
      { title: 'Instance', cell: x => x.InstanceId }]),
    listSection(root, 'Snapshots', 'ListSnapshots', 'Snapshots', [
      { title: 'Snapshot ID', cell: x => x.SnapshotId }, { title: 'Name', cell: x => x.SnapshotName },
      { title: 'Status', cell: x => x.Status }, { title: 'Disk', cell: x => x.SourceDiskId }]),
  ]);
  await renderImages(images, outcome);
}

async function renderImages(section, outcome) {
  const r = await call('swas-open', 'ListCustomImages', { RegionId: region(), PageSize: 100 });
  const err = errorOf(r);
  const body = err ? [errorBox(err, 'ListCustomImages')] : [];
  if (!err) {
    const list = r.body.CustomImages || [];
    const accounts = {};
    await Promise.all(list.map(async img => {
      const a = await call('swas-open', 'ListCustomImageShareAccounts', { RegionId: region(), ImageId: img.ImageId, PageSize: 100 });
      accounts[img.ImageId] = errorOf(a) ? null : (a.body.ImageShareUsers || []).map(u => String(u.UserId));
    }));
    // Runs one sharing call, reports it, and redraws the table.
    const act = async (what, action, params) => {
      const res = await call('swas-open', action, { RegionId: region(), ...params });
      const e = errorOf(res);
      outcome.replaceChildren(e ? errorBox(e, what) : okBox(`${what}: done.`, res.body.RequestId));
      section.replaceChildren(section.firstChild);
      await renderImages(section, outcome);
    };
    body.push(table('Custom images', [
      { title: 'Image ID', cell: x => x.ImageId },
      { title: 'Name', cell: x => x.Name },
      { title: 'Status', cell: x => x.Status },
      { title: 'InShare', cell: x => badge(x.InShare) },
      { title: 'Shared with accounts', cell: x => accounts[x.ImageId] === null ? '(not readable)'
          : accounts[x.ImageId].length ? accounts[x.ImageId].join(', ') : 'none' },
      { title: 'Actions', cell: x => {
        const acc = uid('acc');
        return el('div', {},
          el('div', { class: 'actions' },
            x.InShare
              ? el('button', { type: 'button', text: `UnShare ${x.ImageId}`,
                  onclick: () => act(`UnShare ${x.ImageId}`, 'ModifyImageShareStatus', { ImageId: x.ImageId, Operation: 'UnShare' }) })
              : el('button', { type: 'button', text: `Share ${x.ImageId}`,
                  onclick: () => act(`Share ${x.ImageId}`, 'ModifyImageShareStatus', { ImageId: x.ImageId, Operation: 'Share' }) }),
            el('a', { href: `#/audit/${encodeURIComponent(x.ImageId)}`, text: 'Audit events' })),
          el('label', { for: acc, text: `Account to share ${x.ImageId} with` }),
          el('input', { id: acc, inputmode: 'numeric', autocomplete: 'off' }),
          el('div', { class: 'actions' },
            el('button', { type: 'button', class: 'secondary', text: 'Add account',
              onclick: () => act(`Share ${x.ImageId} with account`, 'AddCustomImageShareAccount',
                                 { ImageId: x.ImageId, Account: [document.getElementById(acc).value.trim()] }) }),
            el('button', { type: 'button', class: 'secondary', text: 'Remove account',
              onclick: () => act(`Stop sharing ${x.ImageId} with account`, 'RemoveCustomImageShareAccount',
                                 { ImageId: x.ImageId, Account: [document.getElementById(acc).value.trim()] }) })));
      } },
    ], list));
  }
  section.append(...body);
}

async function viewEcs(root) {
  root.append(heading(`ECS view in ${region()}`),
    el('p', { class: 'hint', text: 'SWAS custom images shared to ECS (ImageOwnerAlias "others") and the ECS instances launched from them.' }));
  const imgs = await call('ecs', 'DescribeImages', { RegionId: region(), ImageOwnerAlias: 'others', PageSize: 100 });
  const err = errorOf(imgs);
  root.append(el('h2', { text: 'Shared images' }));
  if (err) return root.append(errorBox(err, 'DescribeImages'));
  const list = (imgs.body.Images && imgs.body.Images.Image) || [];
  root.append(table('Shared images', [
    { title: 'Image ID', cell: x => x.ImageId }, { title: 'Name', cell: x => x.ImageName },
    { title: 'Status', cell: x => x.Status }, { title: 'Owner alias', cell: x => x.ImageOwnerAlias },
    { title: 'OS', cell: x => x.OSName }, { title: 'Size (GB)', cell: x => x.Size }], list));
  root.append(el('h2', { text: 'Instances from shared images' }));
  const ins = await call('ecs', 'DescribeInstances', { RegionId: region(), PageSize: 100 });
  const e2 = errorOf(ins);
  if (e2) return root.append(errorBox(e2, 'DescribeInstances'));
  const shared = new Set(list.map(i => i.ImageId));
  const all = (ins.body.Instances && ins.body.Instances.Instance) || [];
  root.append(table('Instances from shared images', [
    { title: 'Instance ID', cell: x => x.InstanceId }, { title: 'Name', cell: x => x.InstanceName },
    { title: 'Status', cell: x => x.Status }, { title: 'Image', cell: x => x.ImageId }],
    all.filter(i => shared.has(i.ImageId))));
}

async function viewIdentity(root) {
  root.append(heading('Caller identity'));
  const r = await call('sts', 'GetCallerIdentity');
  const err = errorOf(r);
  root.append(err ? errorBox(err, 'GetCallerIdentity') : kv(r.body));
}

async function viewAudit(root, imageId = '') {
  root.append(heading('Audit events'));
  const inputId = uid('res');
  const results = el('div', { 'aria-live': 'polite' });
  const form = el('form', {},
    el('label', { for: inputId, text: 'Resource (image ID)' }),
    el('input', { id: inputId, name: 'resource', value: imageId, autocomplete: 'off', spellcheck: 'false' }),
    el('p', { class: 'hint', text: 'ActionTrail LookupEvents with LookupAttribute ResourceName: the writes and denied calls on it, newest first.' }),
    el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Look up events' })));
  const lookup = async name => {
    const params = { MaxResults: 50 };
    if (name) params.LookupAttribute = [{ Key: 'ResourceName', Value: name }];
    const r = await call('actiontrail', 'LookupEvents', params);
    const err = errorOf(r);
    results.replaceChildren(err ? errorBox(err, 'LookupEvents') : table('Events', [
      { title: 'Time', cell: x => x.eventTime }, { title: 'Event', cell: x => x.eventName },
      { title: 'Read/Write', cell: x => x.eventRW },
      { title: 'User', cell: x => (x.userIdentity && (x.userIdentity.userName || x.userIdentity.principalId)) || '' },
      { title: 'Error', cell: x => x.errorCode || '' }, { title: 'Request ID', cell: x => x.requestId }],
      r.body.Events || []));
  };
  form.addEventListener('submit', ev => { ev.preventDefault(); lookup(new FormData(form).get('resource').trim()); });
  root.append(form, results);
  if (imageId) await lookup(imageId);
}

// ---- API explorer ------------------------------------------------------

// The form control for one parameter of the model.
function paramField(p) {
  const id = uid('p'), hintId = uid('h');
  const hint = [p.Type, p.Description, p.Min !== undefined ? `min ${p.Min}` : null,
                p.Max !== undefined ? `max ${p.Max}` : null, p.MaxLength ? `at most ${p.MaxLength} characters` : null]
    .filter(Boolean).join(' · ');
  let input;
  if (p.Allowed) {
    input = el('select', { id, name: p.Name }, el('option', { value: '', text: '(not set)' }),
      p.Allowed.map(a => el('option', { value: a, text: a })));
  } else if (p.Type === 'Boolean') {
    input = el('select', { id, name: p.Name }, ['', 'true', 'false'].map(a => el('option', { value: a, text: a || '(not set)' })));
  } else if (p.Type === 'Integer') {
    input = el('input', { id, name: p.Name, type: 'number', min: p.Min, max: p.Max });
  } else if (p.Type === 'RepeatList') {
    input = el('textarea', { id, name: p.Name, placeholder: 'one value per line' });
  } else if (p.Type === 'RepeatList<Object>' || p.Type === 'Object') {
    const fields = (p.Fields || []).map(f => f.Name);
    input = el('textarea', { id, name: p.Name,
      placeholder: p.Type === 'Object' ? `JSON object: {${fields.map(f => `"${f}": ...`).join(', ')}}`
                                       : `JSON array: [{${fields.map(f => `"${f}": ...`).join(', ')}}]` });
  } else {
    input = el('input', { id, name: p.Name, maxlength: p.MaxLength || undefined, autocomplete: 'off', spellcheck: 'false' });
  }
  input.setAttribute('aria-describedby', hintId);
  input.dataset.type = p.Type;
  if (p.Required) input.setAttribute('aria-required', 'true');
  return el('div', {}, el('label', { for: id, text: p.Required ? `${p.Name} (required)` : p.Name }),
    input, el('p', { id: hintId, class: 'hint', text: hint }));
}

// The form's values as call parameters (lists and objects expanded).
function formParams(form) {
  const params = {};
  for (const c of form.querySelectorAll('[data-type]')) {
    const v = c.value.trim();
    if (!v) continue;
    if (c.dataset.type === 'RepeatList') params[c.name] = v.split('\n').map(s => s.trim()).filter(Boolean);
    else if (c.dataset.type === 'RepeatList<Object>') params[c.name] = JSON.parse(v);
    else if (c.dataset.type === 'Object') {
      for (const [f, fv] of Object.entries(JSON.parse(v))) params[`${c.name}.${f}`] = fv;
    } else params[c.name] = v;
  }
  return params;
}

function showExchange(r) {
  const h = r.request.headers;
  const request = [`${r.request.method} ${r.request.url}`,
    ...Object.entries(h).map(([k, v]) => `${k}: ${v}`), '',
    `Signed headers: ${r.request.signedHeaders}`, '', 'Canonical request:', r.request.canonicalRequest].join('\n');
  return el('div', { class: 'panes' },
    el('div', {}, el('h2', { text: 'Signed request' }),
      el('pre', { tabindex: '0', 'aria-label': 'Signed request', text: request })),
    el('div', {}, el('h2', { text: `Answer: HTTP ${r.status}` }),
      el('pre', { tabindex: '0', 'aria-label': 'Answer', class: 'answer',
        text: typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2) })));
}

async function viewExplorer(root) {
  root.append(heading('API explorer'),
    el('p', { class: 'hint', text: 'Every product and operation swasd routes, from the same operation table the server uses (swasd --dump-operations); operations the SDK has but swasd does not implement are marked.' }));
  const pid = uid('prod'), oid = uid('op');
  const products = model.Products;
  const prodSel = el('select', { id: pid, name: 'product' },
    products.map((p, i) => el('option', { value: String(i), text: `${p.Product} (${p.Version})` })));
  const opSel = el('select', { id: oid, name: 'operation' });
  const about = el('div', { 'aria-live': 'polite' });
  const fields = el('div');
  const result = el('div', { 'aria-live': 'polite' });
  const form = el('form', {},
    el('label', { for: pid, text: 'Product' }), prodSel,
    el('label', { for: oid, text: 'Operation' }), opSel,
    about, fields,
    el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Send signed request' })));
  const fillOps = () => {
    const p = products[Number(prodSel.value)];
    const implemented = el('optgroup', { label: 'Implemented' },
      p.Operations.map(o => el('option', { value: o.Action, text: o.Action })));
    const missing = el('optgroup', { label: 'Not implemented by swasd' },
      (p.NotImplemented || []).map(a => el('option', { value: a, text: `${a} (not implemented)` })));
    opSel.replaceChildren(...[implemented, missing].filter(g => g.children.length));
    fillForm();
  };
  const fillForm = () => {
    const p = products[Number(prodSel.value)];
    const op = p.Operations.find(o => o.Action === opSel.value);
    result.replaceChildren();
    if (!op) {
      about.replaceChildren(el('p', {}, el('span', { class: 'badge ni', text: 'Not implemented' }),
        ` swasd does not implement ${opSel.value}; sending it shows the server's answer.`));
      fields.replaceChildren();
      return;
    }
    about.replaceChildren(el('p', {}, el('span', { class: 'badge yes', text: 'Implemented' }), ` ${op.Summary || ''}`),
      el('p', { class: 'hint', text: `RAM action ${op.RamAction || '-'}${op.Mutating ? ' · changes state' : ''}` }));
    fields.replaceChildren(...op.Parameters.map(paramField));
    const r = fields.querySelector('[name="RegionId"]');
    if (r) r.value = region();
  };
  prodSel.addEventListener('change', fillOps);
  opSel.addEventListener('change', fillForm);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const p = products[Number(prodSel.value)];
    let params;
    try { params = formParams(fields); } catch (e) {
      result.replaceChildren(el('p', { class: 'error', role: 'alert', text: `Not valid JSON: ${e.message}` }));
      return;
    }
    const r = await callApi({ creds: session(), version: p.Version, action: opSel.value, params });
    result.replaceChildren(showExchange(r));
  });
  root.append(form, result);
  const swas = products.findIndex(p => p.Product === 'swas-open');
  if (swas >= 0) prodSel.value = String(swas);
  fillOps();
}

// ---- routing -------------------------------------------------------------

// Shows `hash`: through hashchange when it changes, at once otherwise.
function navigate(hash) {
  if (location.hash === hash || (hash === '' && location.hash === '')) route();
  else location.hash = hash;
}

const views = {
  regions: viewRegions, swas: viewSwas, ecs: viewEcs, identity: viewIdentity,
  audit: viewAudit, explorer: viewExplorer,
};

function regionChanged() {
  const s = session();
  if (s) { s.region = region(); saveSession(s); }
}

async function route() {
  const seq = ++renderSeq;
  const s = session();
  const [, name = '', arg = ''] = location.hash.match(/^#\/([a-z]+)\/?(.*)$/) || [];
  const root = el('div');
  nav.hidden = !s;
  sessionBar.hidden = !s;
  main.replaceChildren(root);
  delete main.dataset.ready;
  if (!s) { viewSignIn(root); main.dataset.ready = 'signin'; return; }
  if (s.region && !regionInput.value) regionInput.value = s.region;
  who.textContent = s.identity ? `Signed in: ${s.identity.Arn}` : `Signed in: ${s.accessKeyId}`;
  const view = views[name] ? name : 'swas';
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === `#/${view}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  root.setAttribute('aria-busy', 'true');
  try {
    await loadModel();
    await views[view](root, decodeURIComponent(arg));
  } catch (e) {
    root.append(el('p', { class: 'error', role: 'alert', text: String(e.message || e) }));
  }
  if (seq !== renderSeq) return;
  root.removeAttribute('aria-busy');
  main.dataset.ready = view;
  // Keyboard and screen-reader users land on the new view's heading.
  const h = root.querySelector('h1');
  if (h) h.focus({ preventScroll: true });
}

document.getElementById('signout').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  who.textContent = '';
  navigate('');
});
regionInput.addEventListener('change', () => { regionChanged(); route(); });
window.addEventListener('hashchange', route);
route();
