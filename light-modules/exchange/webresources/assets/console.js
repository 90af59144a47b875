/* ExChange moderation console (docs/pages.md): everything through the moderation API with the moderator's own
   credentials (HTTP Basic, kept in this tab's sessionStorage only). Views: the queue (counts per state, filters, oldest
   first) with a dashboard, and one item (both languages side by side, the edit form, history, notes, decisions). */
(function () {
  'use strict';
  var body = document.body;
  var lang = body.getAttribute('data-lang');
  var api = body.getAttribute('data-api') + '/moderation';
  var S = JSON.parse(document.getElementById('strings').textContent);
  var KEY = 'exchange.moderation';
  var STATES = ['in-review', 'approved', 'draft', 'published', 'rejected', 'withdrawn'];
  var TYPES = ['contribution', 'comment', 'resource', 'event', 'caseStudy'];
  var TARGET_DAYS = 7;
  var TZ = 'Europe/London';
  var box = document.getElementById('console');
  var login = document.getElementById('login');
  var alertBox = document.getElementById('mod-alert');

  function t(key, a, b) {
    var s = S[key] || key;
    if (a !== undefined) { s = s.replace('{0}', a); }
    if (b !== undefined) { s = s.replace('{1}', b); }
    return s;
  }
  function el(name, attrs, children) {
    var e = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) { return; }
      if (k.indexOf('on') === 0) { e.addEventListener(k.substring(2), v); } else { e.setAttribute(k, v === true ? '' : v); }
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); }
    });
    return e;
  }
  function cred() {
    try { return JSON.parse(sessionStorage.getItem(KEY)); } catch (e) { return null; }
  }
  function call(method, path, payload, extra) {
    var c = cred();
    var h = { 'Accept': 'application/json', 'Accept-Language': lang };
    if (c) { h.Authorization = 'Basic ' + c.auth; }
    if (payload !== undefined) { h['Content-Type'] = 'application/json'; }
    Object.keys(extra || {}).forEach(function (k) { h[k] = extra[k]; });
    return fetch(api + path + (path.indexOf('?') < 0 ? '?' : '&') + 'lang=' + lang,
      { method: method, headers: h, body: payload === undefined ? undefined : JSON.stringify(payload) })
      .then(function (r) {
        var loc = r.headers.get('Location');
        var etag = r.headers.get('ETag');
        return r.text().then(function (text) {
          var j = null;
          try { j = text ? JSON.parse(text) : null; } catch (e) { j = null; }
          if (!r.ok) { var err = new Error(r.status); err.status = r.status; err.problem = j || {}; throw err; }
          return { body: j, location: loc, etag: etag };
        });
      });
  }
  function say(text, kind) {
    alertBox.textContent = '';
    if (text) { alertBox.appendChild(el('p', { 'class': kind === 'ok' ? 'notice success' : 'error-summary' }, [text])); }
  }
  function problem(err) {
    if (err.status === 401) { signOut(); say(t('mod.badLogin')); return; }
    var p = err.problem || {};
    var text = [p.title, p.detail].filter(Boolean).join(' ');
    if (p.errors && p.errors.length) { text += ' ' + p.errors.map(function (e) { return e.field + ': ' + e.message; }).join('; '); }
    say(text || String(err.status));
  }
  function ready() { body.setAttribute('data-console', 'ready'); }
  function busy() { body.removeAttribute('data-console'); }
  function hours(ms) { return Math.round(ms / 36e5 * 10) / 10; }
  /* Dates in Europe/London named from the bundles, as on the other pages (a browser may lack Welsh locale data). */
  var LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, year: 'numeric', month: 'numeric', day: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  function when(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) { return iso || ''; }
    var p = {};
    LONDON.formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    var date = parseInt(p.day, 10) + ' ' + t('months').split(',')[parseInt(p.month, 10) - 1] + ' ' + p.year;
    return t('at', date, p.hour + ':' + p.minute);
  }
  function stateLabel(s) { return t('mod.state.' + s); }
  function typeLabel(s) { return t('mod.type.' + s); }

  function signOut() {
    sessionStorage.removeItem(KEY);
    box.hidden = true;
    box.textContent = '';
    login.hidden = false;
    ready();
  }

  login.addEventListener('submit', function (e) {
    e.preventDefault();
    busy();
    var user = login.user.value;
    var auth = btoa(unescape(encodeURIComponent(user + ':' + login.password.value)));
    sessionStorage.setItem(KEY, JSON.stringify({ user: user, auth: auth }));
    call('GET', '/queue?limit=1').then(function () {
      login.password.value = '';
      say('');
      route();
    }).catch(function (err) { problem(err); });
  });
  window.addEventListener('hashchange', route);

  function route() {
    busy();
    if (!cred()) { signOut(); return; }
    login.hidden = true;
    box.hidden = false;
    box.textContent = '';
    box.appendChild(el('p', {}, [t('mod.signedIn', cred().user) + ' ',
      el('button', { type: 'button', 'class': 'secondary', id: 'logout', onclick: signOut }, [t('mod.logout')])]));
    var m = /^#item=([0-9a-f-]{36})$/.exec(location.hash);
    if (m) { item(m[1]); } else { queue(); }
  }

  /* ---- queue and dashboard ---- */
  function params() {
    var p = new URLSearchParams(location.hash.replace(/^#queue\??/, ''));
    return { type: p.get('type') || '', state: p.get('state') || 'in-review', age: p.get('age') || '',
      language: p.get('language') || '', assignee: p.get('assignee') || '' };
  }
  function select(id, label, value, options) {
    return el('div', { 'class': 'field' }, [el('label', { 'for': id }, [label]),
      el('select', { id: id, name: id.replace('f-', '') }, options.map(function (o) {
        return el('option', { value: o[0], selected: o[0] === value }, [o[1]]);
      }))]);
  }
  function queue() {
    var p = params();
    var q = new URLSearchParams();
    q.set('state', p.state);
    q.set('limit', '100');
    ['type', 'language', 'assignee'].forEach(function (k) { if (p[k]) { q.set(k, p[k]); } });
    if (p.age) { q.set('olderThan', p.age); }
    var section = el('section', { 'aria-labelledby': 'h-queue' }, [el('h2', { id: 'h-queue' }, [t('mod.queue')])]);
    var counts = el('ul', { id: 'counts', 'class': 'nav', 'aria-label': t('mod.counts') }, []);
    section.appendChild(counts);
    var form = el('form', { id: 'filters', 'aria-label': t('mod.filters'), onsubmit: function (e) {
      e.preventDefault();
      var n = new URLSearchParams();
      ['type', 'state', 'age', 'language', 'assignee'].forEach(function (k) {
        var v = form.elements[k].value;
        if (v) { n.set(k, v); }
      });
      location.hash = '#queue?' + n.toString();
    } }, [
      select('f-type', t('mod.type'), p.type, [['', t('mod.any')]].concat(TYPES.map(function (x) { return [x, typeLabel(x)]; }))),
      select('f-state', t('mod.state'), p.state, STATES.map(function (x) { return [x, stateLabel(x)]; })),
      select('f-age', t('mod.age'), p.age, [['', t('mod.any')], ['P1D', t('mod.day')], ['P7D', t('mod.week')], ['P30D', t('mod.month')]]),
      select('f-language', t('mod.language'), p.language, [['', t('mod.any')], ['en', t('lang.en')], ['cy', t('lang.cy')]]),
      select('f-assignee', t('mod.assignee'), p.assignee, [['', t('mod.any')], ['me', t('mod.me')], ['none', t('mod.nobody')]]),
      el('p', {}, [el('button', { type: 'submit', id: 'filter-apply' }, [t('mod.apply')])])]);
    section.appendChild(form);
    var list = el('div', { id: 'queue', 'aria-live': 'polite' }, []);
    section.appendChild(list);
    var dash = el('section', { 'aria-labelledby': 'h-dash', id: 'dashboard' }, [el('h2', { id: 'h-dash' }, [t('mod.dashboard')])]);
    box.appendChild(section);
    box.appendChild(dash);

    var work = [];
    work.push(Promise.all(STATES.map(function (s) {
      var c = new URLSearchParams();
      c.set('state', s);
      c.set('limit', '1');
      if (p.type) { c.set('type', p.type); }
      return call('GET', '/queue?' + c.toString()).then(function (r) { return [s, r.body.total]; });
    })).then(function (all) {
      all.forEach(function (x) {
        var h = '#queue?state=' + x[0] + (p.type ? '&type=' + p.type : '');
        counts.appendChild(el('li', {}, [el('a', { href: h, 'aria-current': x[0] === p.state ? 'true' : null, 'data-state': x[0] },
          [stateLabel(x[0]) + ': ', el('span', { 'class': 'count' }, [String(x[1])])])]));
      });
    }));
    work.push(call('GET', '/queue?' + q.toString()).then(function (r) {
      var items = r.body.items;
      if (!items.length) { list.appendChild(el('p', {}, [t('mod.empty')])); return; }
      var rows = items.map(function (i) {
        return el('tr', {}, [el('td', {}, [el('a', { href: '#item=' + i.id }, [i.title || i.id])]), el('td', {}, [typeLabel(i.type)]),
          el('td', {}, [i.language ? t('lang.' + i.language) : '']), el('td', {}, [i.assignee || '']),
          el('td', {}, [el('time', { datetime: i.since }, [when(i.since)])])]);
      });
      list.appendChild(el('div', { 'class': 'table-scroll' }, [el('table', {}, [el('caption', {}, [stateLabel(p.state)]),
        el('thead', {}, [el('tr', {}, [t('mod.item'), t('mod.type'), t('mod.language'), t('mod.assignee'), t('mod.since')]
          .map(function (h) { return el('th', { scope: 'col' }, [h]); }))]), el('tbody', {}, rows)])]));
    }));
    work.push(dashboard(dash));
    Promise.all(work).then(ready).catch(function (err) { problem(err); ready(); });
  }

  /* Queue age, items over the target, and Welsh vs English: time to a decision and time waiting, as a bar plot. */
  function dashboard(dash) {
    var now = Date.now();
    return Promise.all([
      call('GET', '/queue?state=in-review&limit=100'),
      call('GET', '/queue?state=in-review&limit=1&olderThan=P' + TARGET_DAYS + 'D'),
      Promise.all(['approved', 'published', 'rejected'].map(function (s) {
        return call('GET', '/queue?state=' + s + '&type=contribution&limit=50');
      }))
    ]).then(function (r) {
      var waiting = r[0].body.items;
      var oldest = waiting.length ? waiting[0] : null;
      dash.appendChild(el('p', {}, [t('mod.oldest', oldest ? t('mod.hours', hours(now - Date.parse(oldest.since))) : '–')]));
      dash.appendChild(el('p', {}, [t('mod.overTarget', TARGET_DAYS, r[1].body.total)]));
      var decided = [];
      r[2].forEach(function (x) { decided = decided.concat(x.body.items); });
      return Promise.all(decided.slice(0, 50).map(function (i) {
        return call('GET', '/items/' + i.id).then(function (d) {
          var decision = (d.body.history || []).filter(function (h) { return h.action === 'transition' && h.from === 'in-review'; })[0];
          return decision ? { lang: i.language, ms: Date.parse(decision.at) - Date.parse(d.body.created) } : null;
        });
      })).then(function (times) {
        var stats = { en: { n: 0, sum: 0, wn: 0, wsum: 0 }, cy: { n: 0, sum: 0, wn: 0, wsum: 0 } };
        times.forEach(function (x) { if (x && stats[x.lang]) { stats[x.lang].n++; stats[x.lang].sum += x.ms; } });
        waiting.forEach(function (i) { if (stats[i.language]) { stats[i.language].wn++; stats[i.language].wsum += now - Date.parse(i.since); } });
        dash.appendChild(plot(stats));
      });
    });
  }
  function plot(stats) {
    var rows = [];
    ['cy', 'en'].forEach(function (l) {
      var s = stats[l];
      rows.push({ label: t('lang.' + l) + ' · ' + t('mod.decided') + ' (' + s.n + ')', v: s.n ? hours(s.sum / s.n) : 0, cls: 'decided' });
      rows.push({ label: t('lang.' + l) + ' · ' + t('mod.state.in-review') + ' (' + s.wn + ')', v: s.wn ? hours(s.wsum / s.wn) : 0, cls: 'waiting' });
    });
    var max = Math.max.apply(null, rows.map(function (r) { return r.v; }).concat([1]));
    var W = 560, rowH = 34, left = 230, H = rows.length * rowH + 10;
    var ns = 'http://www.w3.org/2000/svg';
    function s(name, attrs, text) {
      var e = document.createElementNS(ns, name);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text !== undefined) { e.textContent = text; }
      return e;
    }
    var title = t('mod.responseTime');
    var svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-labelledby': 'plot-title plot-desc', id: 'response-plot' });
    svg.appendChild(s('title', { id: 'plot-title' }, title));
    svg.appendChild(s('desc', { id: 'plot-desc' }, rows.map(function (r) { return r.label + ': ' + t('mod.hours', r.v); }).join('; ')));
    rows.forEach(function (r, i) {
      var y = 5 + i * rowH;
      var w = Math.max(2, Math.round((W - left - 70) * r.v / max));
      svg.appendChild(s('text', { x: 0, y: y + 21, 'font-size': 14, fill: '#1b1b1b' }, r.label));
      svg.appendChild(s('rect', { x: left, y: y + 6, width: w, height: 20, fill: r.cls === 'decided' ? '#00594f' : '#8a6d00', 'data-lang': r.label }));
      svg.appendChild(s('text', { x: left + w + 6, y: y + 21, 'font-size': 14, fill: '#1b1b1b' }, t('mod.hours', r.v)));
    });
    return el('figure', {}, [svg, el('figcaption', {}, [title])]);
  }

  /* ---- one item ---- */
  function item(id) {
    call('GET', '/items/' + id).then(function (r) { showItem(r.body, r.etag); ready(); }).catch(function (err) { problem(err); ready(); });
  }
  function valueText(v) {
    if (v === null || v === undefined) { return ''; }
    if (typeof v === 'boolean') { return v ? '✓' : '✗'; }
    if (Array.isArray(v)) { return v.map(valueText).join(', '); }
    if (typeof v === 'object') { return JSON.stringify(v); }
    return String(v).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  }
  /* A field path of the API ('title.cy', 'links[1]') as people read it: the field's label, and the language. */
  function fieldName(path) {
    var m = /^([A-Za-z0-9_]+)(?:\[\d+\])?(?:\.(en|cy))?/.exec(path || '');
    if (!m) { return path; }
    return (S['field.' + m[1]] || m[1]) + (m[2] ? ' (' + t('lang.' + m[2]) + ')' : '');
  }
  function showItem(d, etag) {
    var v = d.values || {};
    var title = typeof v.title === 'object' && v.title ? (v.title[lang] || v.title.en || v.title.cy) : v.title;
    var sec = el('section', { 'aria-labelledby': 'h-item', id: 'item-view', 'data-revision': d.revision, 'data-state': d.state }, [
      el('p', {}, [el('a', { href: '#queue' }, [t('mod.back')])]),
      el('h2', { id: 'h-item' }, [title || d.id]),
      el('p', { 'class': 'meta' }, [typeLabel(d.type) + ' · ', el('span', { id: 'item-state' }, [stateLabel(d.state)]),
        d.assignee ? ' · ' + t('mod.assignee') + ': ' + d.assignee : '', ' · ' + t('mod.since') + ' ' + when(d.since)])]);
    if (v.preferredLanguage || v.language) {
      sec.appendChild(el('p', {}, [t('mod.preferredLanguage') + ': ' + t('lang.' + (v.preferredLanguage || v.language))]));
    }
    if (v.category) { sec.appendChild(el('p', {}, [S['field.category'] + ': ' + (S['option.' + v.category] || v.category)])); }
    if (d.missingWelsh && d.missingWelsh.length) {
      sec.appendChild(el('p', { 'class': 'note' }, [t('mod.missingWelsh') + ': ' + d.missingWelsh.join(', ')]));
    }
    /* both languages side by side: English and Welsh columns for translatable fields */
    var rows = Object.keys(v).filter(function (k) { return k !== 'moderationState'; }).map(function (k) {
      var x = v[k];
      var both = x && typeof x === 'object' && !Array.isArray(x) && ('en' in x || 'cy' in x);
      return el('tr', {}, [el('th', { scope: 'row' }, [S['field.' + k] || k]),
        both ? el('td', { lang: 'en' }, [valueText(x.en)]) : el('td', { colspan: 2 }, [valueText(x)]),
        both ? el('td', { lang: 'cy' }, [valueText(x.cy)]) : null]);
    });
    sec.appendChild(el('h3', {}, [t('mod.values')]));
    sec.appendChild(el('div', { 'class': 'table-scroll' }, [el('table', { id: 'values' }, [
      el('thead', {}, [el('tr', {}, [el('th', { scope: 'col' }, [t('mod.field')]), el('th', { scope: 'col' }, [t('lang.en')]),
        el('th', { scope: 'col' }, [t('lang.cy')])])]), el('tbody', {}, rows)])]));
    var edit = editForm(d, etag);
    if (edit) { sec.appendChild(edit); }
    sec.appendChild(actions(d));
    sec.appendChild(el('h3', {}, [t('mod.history')]));
    sec.appendChild(el('ol', { id: 'history' }, (d.history || []).map(function (h) {
      return el('li', {}, [when(h.at) + ' · ' + h.actor + ' · ' + t('mod.did.' + h.action) + (h.from ? ' ' + stateLabel(h.from) + ' → ' + stateLabel(h.to) : '') + (h.reason ? ' · ' + h.reason : '')
        + (h.fields ? ': ' + h.fields.map(fieldName).join(', ') : '')]);
    })));
    sec.appendChild(el('h3', {}, [t('mod.notes')]));
    sec.appendChild(el('ul', { id: 'notes' }, (d.notes || []).map(function (n) {
      return el('li', {}, [when(n.at) + ' · ' + n.author + ': ' + n.text]);
    })));
    var note = el('form', { id: 'note-form', onsubmit: function (e) {
      e.preventDefault();
      act(d, function () { return call('POST', '/items/' + d.id + '/notes', { text: note.elements.text.value }); });
    } }, [el('div', { 'class': 'field' }, [el('label', { 'for': 'note-text' }, [t('mod.noteText')]),
      el('textarea', { id: 'note-text', name: 'text', rows: 3 }, [])]),
      el('p', {}, [el('button', { type: 'submit', id: 'note-submit' }, [t('mod.noteAdd')])])]);
    sec.appendChild(note);
    box.appendChild(sec);
  }
  /* ---- the edit form: the fields the API says the user may edit now (editableFields), English and Welsh side by
     side for translatable ones; only what changed is sent, as a merge patch with the item's ETag in If-Match. ---- */
  function editForm(d, etag) {
    var fields = (d.editableFields || []).filter(function (f) { return f.type !== 'subModel'; });
    if (!fields.length) { return null; }
    var v = d.values || {};
    var controls = [];
    var summary = el('div', { id: 'edit-errors', 'class': 'error-summary', tabindex: '-1', hidden: true }, []);
    var form = el('form', { id: 'edit-form', 'aria-labelledby': 'h-edit', novalidate: true }, [
      el('h3', { id: 'h-edit' }, [t('mod.edit')]), el('p', { 'class': 'hint', id: 'edit-hint' }, [t('mod.editHint')]), summary]);
    function add(c) { controls.push(c); c.initial = JSON.stringify(c.read()); }
    function text(f, id, value, l) {
      var long = f.type === 'richText' || !f.maxLength || f.maxLength > 300;
      var attrs = { id: id, name: id, lang: l || null, maxlength: f.maxLength || null };
      if (long) { attrs.rows = f.type === 'richText' ? 6 : 3; return el('textarea', attrs, [value || '']); }
      attrs.type = 'text';
      attrs.value = value === undefined || value === null ? '' : String(value);
      return el('input', attrs, []);
    }
    function plain(input, f) {
      return function () {
        var x = input.value.trim();
        if (x === '') { return null; }
        if ((f.type === 'long' || f.type === 'double' || f.type === 'decimal') && isFinite(Number(x))) { return Number(x); }
        return x;
      };
    }
    fields.forEach(function (f) {
      var label = S['field.' + f.name] || f.name;
      var id = 'edit-' + f.name;
      var cur = v[f.name];
      if (f.i18n) {
        var pair = el('div', { 'class': 'side-by-side' }, []);
        var group = el('fieldset', { 'class': 'field', id: id }, [el('legend', {}, [label]), pair]);
        ['en', 'cy'].forEach(function (l) {
          var input = text(f, id + '-' + l, cur && cur[l], l);
          pair.appendChild(el('div', { 'class': 'field' }, [el('label', { 'for': input.id }, [t('lang.' + l)]), input]));
          add({ name: f.name, lang: l, id: input.id, input: input, label: label + ' (' + t('lang.' + l) + ')', read: plain(input, f) });
        });
        form.appendChild(group);
      } else if (f.type === 'boolean') {
        var box1 = el('input', { type: 'checkbox', id: id, name: id, checked: cur === true }, []);
        form.appendChild(el('div', { 'class': 'field choice' }, [box1, el('label', { 'for': id }, [label])]));
        add({ name: f.name, id: id, input: box1, label: label, read: function () { return box1.checked; } });
      } else if (f.options.length && f.multiple) {
        var chosen = Array.isArray(cur) ? cur : [];
        var set = el('fieldset', { 'class': 'field', id: id }, [el('legend', {}, [label])]);
        var boxes = f.options.map(function (o) {
          var b = el('input', { type: 'checkbox', id: id + '-' + o, name: id, value: o, checked: chosen.indexOf(o) >= 0 }, []);
          set.appendChild(el('div', { 'class': 'choice' }, [b, el('label', { 'for': b.id }, [S['option.' + o] || o])]));
          return b;
        });
        form.appendChild(set);
        add({ name: f.name, id: id, input: set, label: label, read: function () {
          var out = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
          return out.length ? out : null;
        } });
      } else if (f.options.length) {
        var sel = el('select', { id: id, name: id }, [el('option', { value: '' }, [t('mod.none')])].concat(f.options.map(function (o) {
          return el('option', { value: o, selected: cur === o }, [S['option.' + o] || o]);
        })));
        form.appendChild(el('div', { 'class': 'field' }, [el('label', { 'for': id }, [label]), sel]));
        add({ name: f.name, id: id, input: sel, label: label, read: function () { return sel.value || null; } });
      } else if (f.multiple) {
        var lines = el('textarea', { id: id, name: id, rows: 3, 'aria-describedby': id + '-hint' }, [Array.isArray(cur) ? cur.join('\n') : '']);
        form.appendChild(el('div', { 'class': 'field' }, [el('label', { 'for': id }, [label]),
          el('p', { 'class': 'hint', id: id + '-hint' }, [t('mod.onePerLine')]), lines]));
        add({ name: f.name, id: id, input: lines, label: label, hint: id + '-hint', read: function () {
          var out = lines.value.split('\n').map(function (x) { return x.trim(); }).filter(Boolean);
          return out.length ? out : null;
        } });
      } else {
        var input1 = text(f, id, cur, null);
        form.appendChild(el('div', { 'class': 'field' }, [el('label', { 'for': id }, [label]), input1]));
        add({ name: f.name, id: id, input: input1, label: label, read: plain(input1, f) });
      }
    });
    form.appendChild(el('p', {}, [el('button', { type: 'submit', id: 'edit-save' }, [t('mod.save')])]));

    function clear() {
      summary.hidden = true;
      summary.textContent = '';
      controls.forEach(function (c) {
        var old = document.getElementById(c.id + '-error');
        if (old) { old.parentNode.removeChild(old); }
        c.input.removeAttribute('aria-invalid');
        if (c.hint) { c.input.setAttribute('aria-describedby', c.hint); } else { c.input.removeAttribute('aria-describedby'); }
      });
    }
    function controlFor(path) {
      var m = /^([A-Za-z0-9_]+)(?:\[\d+\])?(?:\.(en|cy))?/.exec(path || '');
      if (!m) { return null; }
      return controls.filter(function (c) { return c.name === m[1] && (!c.lang || c.lang === m[2]); })[0]
        || controls.filter(function (c) { return c.name === m[1]; })[0] || null;
    }
    function showErrors(errors) {
      var list = el('ul', {}, []);
      var first = null;
      errors.forEach(function (e) {
        var c = controlFor(e.field);
        if (c && !document.getElementById(c.id + '-error')) {
          var msg = el('p', { 'class': 'error', id: c.id + '-error' }, [e.message]);
          var at = c.input.tagName === 'FIELDSET' ? c.input.querySelector('legend').nextSibling : c.input;
          at.parentNode.insertBefore(msg, at);
          c.input.setAttribute('aria-invalid', 'true');
          c.input.setAttribute('aria-describedby', (c.hint ? c.hint + ' ' : '') + c.id + '-error');
          first = first || c;
        }
        var text1 = (c ? c.label : fieldName(e.field)) + ': ' + e.message;
        list.appendChild(el('li', {}, [c ? el('a', { href: '#' + c.id, onclick: function (ev) {
          ev.preventDefault();
          var target = c.input.tagName === 'FIELDSET' ? c.input.querySelector('input') : c.input;
          target.focus();
        } }, [text1]) : text1]));
      });
      summary.appendChild(el('h4', {}, [t('mod.editErrors')]));
      summary.appendChild(list);
      summary.hidden = false;
      summary.focus();
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clear();
      say('');
      var patch = {};
      controls.forEach(function (c) {
        var now = c.read();
        if (JSON.stringify(now) === c.initial) { return; }
        if (c.lang) { patch[c.name] = patch[c.name] || {}; patch[c.name][c.lang] = now; } else { patch[c.name] = now; }
      });
      if (!Object.keys(patch).length) { say(t('mod.noChanges')); return; }
      busy();
      call('PATCH', '/items/' + d.id, patch, { 'Content-Type': 'application/merge-patch+json', 'If-Match': etag || '"' + d.revision + '"' })
        .then(function () {
          say(t('mod.saved'), 'ok');
          box.textContent = '';
          route();
        }).catch(function (err) {
          var p = err.problem || {};
          if (err.status === 422 && p.errors && p.errors.length) {
            showErrors(p.errors);
          } else if (err.status === 409 && /conflict$/.test(p.type || '')) {
            alertBox.textContent = '';
            var reload = el('button', { type: 'button', id: 'edit-reload', onclick: function () { say(''); box.textContent = ''; route(); } }, [t('mod.reload')]);
            alertBox.appendChild(el('div', { 'class': 'error-summary', id: 'edit-conflict' }, [el('p', {}, [t('mod.editConflict')]), el('p', {}, [reload])]));
            reload.focus();
          } else {
            problem(err);
          }
          ready();
        });
    });
    return form;
  }

  function act(d, work, message) {
    busy();
    say('');
    work().then(function (r) {
      say(message ? message(r) : t('mod.done'), 'ok');
      box.textContent = '';
      route();
    }).catch(function (err) {
      if (err.status === 409 && err.problem && /conflict$/.test(err.problem.type || '')) {
        say(t('mod.conflict'));
        box.textContent = '';
        route();
        return;
      }
      problem(err);
      ready();
    });
  }
  function actions(d) {
    var form = el('form', { id: 'decide', onsubmit: function (e) { e.preventDefault(); } }, [el('h3', {}, [t('mod.actions')])]);
    form.appendChild(el('div', { 'class': 'field' }, [el('label', { 'for': 'reason' }, [t('mod.reason')]),
      el('textarea', { id: 'reason', name: 'reason', rows: 2 }, [])]));
    var buttons = el('p', { 'class': 'paging' }, []);
    (d.allowedTransitions || []).forEach(function (to) {
      buttons.appendChild(el('button', { type: 'button', id: 'to-' + to, onclick: function () {
        var reason = form.elements.reason.value;
        act(d, function () { return call('POST', '/items/' + d.id + '/transitions', reason ? { to: to, revision: d.revision, reason: reason } : { to: to, revision: d.revision }); });
      } }, [t('mod.to.' + to)]));
    });
    buttons.appendChild(el('button', { type: 'button', 'class': 'secondary', id: 'claim', onclick: function () {
      act(d, function () { return call('POST', '/items/' + d.id + '/claim'); });
    } }, [t('mod.claim')]));
    form.appendChild(buttons);
    form.appendChild(el('div', { 'class': 'field' }, [el('label', { 'for': 'assignee' }, [t('mod.assignTo')]),
      el('input', { type: 'text', id: 'assignee', name: 'assignee', value: d.assignee || '' }, [])]));
    form.appendChild(el('p', {}, [el('button', { type: 'button', 'class': 'secondary', id: 'assign', onclick: function () {
      var a = form.elements.assignee.value.trim();
      act(d, function () { return call('PUT', '/items/' + d.id + '/assignee', { assignee: a || null }); });
    } }, [t('mod.assign')])]));
    if (d.state === 'approved') {
      form.appendChild(el('div', { 'class': 'field' }, [el('label', { 'for': 'publish-at' }, [t('mod.publishAt')]),
        el('input', { type: 'datetime-local', id: 'publish-at', name: 'publishAt' }, [])]));
      form.appendChild(el('p', {}, [el('button', { type: 'button', 'class': 'secondary', id: 'schedule', onclick: function () {
        var at = form.elements.publishAt.value;
        act(d, function () { return call('PUT', '/items/' + d.id + '/schedule', { publishAt: at ? new Date(at).toISOString() : null, unpublishAt: null }); });
      } }, [t('mod.schedule')])]));
      if (d.type === 'contribution') {
        ['resource', 'caseStudy'].forEach(function (type) {
          form.appendChild(el('p', {}, [el('button', { type: 'button', 'class': 'secondary', id: 'convert-' + type, onclick: function () {
            act(d, function () { return call('POST', '/items/' + d.id + '/conversions', { type: type }); }, function (r) {
              var draft = (r.location || '').split('/').pop();
              return t('mod.converted', draft);
            });
          } }, [t('mod.convert.' + type)])]));
        });
      }
    }
    return form;
  }

  route();
}());
