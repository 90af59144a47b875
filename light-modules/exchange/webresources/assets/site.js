/* ExChange pages (docs/pages.md): progressive enhancement. Every page works as HTML first; this script fills in lists
   from the public delivery API and the status page from the intake API. No external script, no framework. */
(function () {
  'use strict';
  var body = document.body;
  var lang = body.getAttribute('data-lang');
  var other = lang === 'cy' ? 'en' : 'cy';
  var prefix = body.getAttribute('data-prefix');
  var api = body.getAttribute('data-api');
  var S = JSON.parse(document.getElementById('strings').textContent);
  var TZ = 'Europe/London';

  function t(key, arg) {
    var s = S[key] || key;
    return arg === undefined ? s : s.replace('{0}', arg);
  }
  function opt(code) { return S['option.' + code] || code; }
  function el(name, attrs, children) {
    var e = document.createElement(name);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) { e.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); }
    });
    return e;
  }
  function getJson(path) {
    return fetch(api + path, { headers: { 'Accept': 'application/json' } }).then(function (r) {
      if (!r.ok) { var err = new Error('HTTP ' + r.status); err.status = r.status; throw err; }
      return r.json();
    });
  }
  function failed(target) {
    target.textContent = '';
    target.appendChild(el('p', { 'class': 'note' }, [t('loadFailed')]));
  }
  /* Dates in Europe/London, named from the bundles (a browser may lack Welsh locale data): "Wednesday 12 March 2031, 10:00". */
  var LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, year: 'numeric', month: 'numeric', day: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  function fmtDate(iso, allDay) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) { return iso || ''; }
    var p = {};
    LONDON.formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    var y = parseInt(p.year, 10), m = parseInt(p.month, 10), day = parseInt(p.day, 10);
    var weekday = t('days').split(',')[new Date(Date.UTC(y, m - 1, day)).getUTCDay()];
    var date = weekday + ' ' + day + ' ' + t('months').split(',')[m - 1] + ' ' + y;
    return allDay ? date : S.at.replace('{0}', date).replace('{1}', p.hour + ':' + p.minute);
  }
  /* A field shown in the other language carries that language, and the item says so in the page's language. */
  function fellBack(item, field) { return (item.fallbacks || []).indexOf(field) >= 0; }
  function langOf(item, field) { return fellBack(item, field) ? other : null; }
  function fallbackNote(item) {
    if (!item.fallbacks || item.fallbacks.length === 0) { return null; }
    return el('p', { 'class': 'note fallback' }, [S[lang === 'cy' ? 'delivery.fallback' : 'delivery.fallback.en']]);
  }

  function eventCard(ev) {
    var title = el('h3', { lang: langOf(ev, 'title') }, [ev.title]);
    var when = el('p', { 'class': 'meta' }, [ev.startDate ? el('time', { datetime: ev.startDate }, [fmtDate(ev.startDate, ev.allDay)]) : t('noDate')]);
    var parts = [title, when];
    if (ev.status && ev.status !== 'scheduled') {
      var badge = el('p', {}, [el('span', { 'class': 'badge ' + ev.status }, [opt(ev.status)])]);
      if (ev.previousStartDate) {
        badge.appendChild(document.createTextNode(' ' + t('previousDate') + ': '));
        badge.appendChild(el('del', {}, [el('time', { datetime: ev.previousStartDate }, [fmtDate(ev.previousStartDate, ev.allDay)])]));
      }
      parts.push(badge);
    }
    if (ev.summary) { parts.push(el('p', { lang: langOf(ev, 'summary') }, [ev.summary])); }
    var links = el('p', { 'class': 'links' }, []);
    if (ev.registrationLink && ev.status !== 'cancelled') {
      links.appendChild(el('a', { href: ev.registrationLink }, [t('register')]));
      links.appendChild(document.createTextNode(' · '));
    }
    links.appendChild(el('a', { href: api + '/events/' + ev.id + '.ics?lang=' + lang, download: '' }, [t('ics')]));
    if (ev.recordingLink) {
      links.appendChild(document.createTextNode(' · '));
      links.appendChild(el('a', { href: ev.recordingLink }, [t('recording')]));
    }
    parts.push(links);
    var note = fallbackNote(ev);
    if (note) { parts.push(note); }
    return el('li', { 'class': 'card' }, parts);
  }

  function resourceCard(r) {
    var parts = [el('h3', { lang: langOf(r, 'title') }, [el('a', { href: prefix + '/library/' + r.id }, [r.title])])];
    var meta = [];
    if (r.kind) { meta.push(opt(r.kind)); }
    if (r.publicationDate) { meta.push(r.publicationDate.substring(0, 4)); }
    if (meta.length) { parts.push(el('p', { 'class': 'meta' }, [meta.join(' · ')])); }
    if (r.summary) { parts.push(el('p', { lang: langOf(r, 'summary') }, [r.summary])); }
    var note = fallbackNote(r);
    if (note) { parts.push(note); }
    return el('li', { 'class': 'card' }, parts);
  }

  function fillList(target, items, card, empty) {
    target.textContent = '';
    if (items.length === 0) { target.appendChild(el('p', {}, [empty || t('none')])); return; }
    target.appendChild(el('ul', { 'class': 'cards' }, items.map(card)));
  }

  function events(target, past) {
    var limit = target.getAttribute('data-limit') || '20';
    return getJson('/events?lang=' + lang + '&past=' + past + '&limit=' + limit).then(function (page) {
      fillList(target, page.items, eventCard, past ? t('none') : t('noUpcoming'));
    }).catch(function () { failed(target); });
  }

  function newest(target) {
    return getJson('/resources?lang=' + lang + '&sort=-publicationDate&limit=' + (target.getAttribute('data-limit') || '3'))
      .then(function (page) { fillList(target, page.items, resourceCard); })
      .catch(function () { failed(target); });
  }

  /* The library: the page's query string is the state (q, filters, offset), so every view has an address. */
  var FACETS = ['kind', 'audiences', 'originalLanguage'];
  var PAGE = 10;
  function library(target) {
    var params = new URLSearchParams(location.search);
    var q = new URLSearchParams();
    q.set('lang', lang);
    q.set('limit', String(PAGE));
    if (params.get('q')) { q.set('q', params.get('q')); }
    FACETS.forEach(function (f) { if (params.get(f)) { q.set(f, params.get(f)); } });
    var offset = parseInt(params.get('offset') || '0', 10) || 0;
    q.set('offset', String(offset));
    return getJson('/resources?' + q.toString()).then(function (page) {
      fillList(target, page.items, resourceCard);
      document.getElementById('results-count').textContent = t('results', page.total);
      facets(page.facets || {}, params);
      paging(page.total, offset, params);
    }).catch(function () { failed(target); });
  }
  function facets(counts, params) {
    var box = document.getElementById('facets');
    box.textContent = '';
    var form = el('form', { method: 'get', action: prefix + '/library' }, []);
    if (params.get('q')) { form.appendChild(el('input', { type: 'hidden', name: 'q', value: params.get('q') })); }
    form.appendChild(el('h2', {}, [t('filters')]));
    FACETS.forEach(function (f) {
      var values = counts[f] || {};
      var fs = el('fieldset', {}, [el('legend', {}, [S['field.' + f] || f])]);
      Object.keys(values).forEach(function (v, i) {
        var id = 'facet-' + f + '-' + i;
        var label = f === 'originalLanguage' ? t('lang.' + v) : opt(v);
        fs.appendChild(el('div', { 'class': 'choice' }, [
          el('input', { type: 'radio', name: f, value: v, id: id, checked: params.get(f) === v ? 'checked' : null }),
          el('label', { 'for': id }, [label + ' (' + values[v] + ')'])]));
      });
      form.appendChild(fs);
    });
    form.appendChild(el('p', {}, [el('button', { type: 'submit' }, [t('filters')])]));
    form.appendChild(el('p', {}, [el('a', { href: prefix + '/library' }, [t('clear')])]));
    box.appendChild(form);
  }
  function paging(total, offset, params) {
    var nav = document.getElementById('paging');
    nav.textContent = '';
    var pages = Math.max(1, Math.ceil(total / PAGE));
    var current = Math.floor(offset / PAGE) + 1;
    function link(o, label) {
      var p = new URLSearchParams(params);
      p.set('offset', String(o));
      return el('a', { href: prefix + '/library?' + p.toString() }, [label]);
    }
    if (offset > 0) { nav.appendChild(link(Math.max(0, offset - PAGE), t('previous'))); }
    nav.appendChild(el('span', {}, [t('page', current).replace('{1}', pages)]));
    if (offset + PAGE < total) { nav.appendChild(link(offset + PAGE, t('next'))); }
  }

  function item(box) {
    var id = box.getAttribute('data-id');
    return getJson('/resources/' + id + '?lang=' + lang).then(function (r) {
      box.textContent = '';
      box.appendChild(el('h1', { lang: langOf(r, 'title') }, [r.title]));
      var note = fallbackNote(r);
      if (note) { box.appendChild(note); }
      if (r.languageNote) { box.appendChild(el('p', { 'class': 'meta' }, [r.languageNote])); }
      var meta = [];
      if (r.kind) { meta.push(t('kind') + ': ' + opt(r.kind)); }
      if (r.publisher) { meta.push(r.publisher); }
      if (r.publicationDate) { meta.push(t('published') + ': ' + r.publicationDate.substring(0, 10)); }
      box.appendChild(el('p', { 'class': 'meta' }, [meta.join(' · ')]));
      if (r.summary) { box.appendChild(el('p', { 'class': 'lead', lang: langOf(r, 'summary') }, [r.summary])); }
      if (r.body) {
        var b = el('div', { 'class': 'body', lang: langOf(r, 'body') }, []);
        b.innerHTML = r.body; /* sanitised by the server when saved (docs/api.md, rich text) */
        box.appendChild(b);
      }
      if (r.link) { box.appendChild(el('p', {}, [el('a', { href: r.link }, [r.link])])); }
    }).catch(function (e) {
      box.textContent = '';
      box.appendChild(el('h1', {}, [S['notFound'] || t('loadFailed')]));
      box.appendChild(el('p', {}, [t('loadFailed')]));
    });
  }

  function comments(target) {
    return getJson('/resources/' + target.getAttribute('data-id') + '/comments?lang=' + lang).then(function (page) {
      var list = page.comments || [];
      fillList(target, list, function (c) {
        return el('li', { 'class': 'card', lang: c.language && c.language !== lang ? c.language : null }, [
          el('p', { 'class': 'meta' }, [c.displayName || '']), el('p', {}, [c.body ? c.body.replace(/<[^>]*>/g, '') : ''])]);
      }, t('noComments'));
    }).catch(function () { fillList(target, [], null, t('noComments')); });
  }

  function status(box) {
    var token = box.getAttribute('data-token');
    if (!token) { box.textContent = ''; return null; }
    return getJson('/submissions/' + encodeURIComponent(token) + '?lang=' + lang).then(function (s) {
      box.textContent = '';
      box.appendChild(el('p', { 'class': 'notice success' }, [
        el('strong', { id: 'status-label' }, [t('status.' + s.status)])]));
      if (s.reference) { box.appendChild(el('p', {}, [t('status.reference') + ': ', el('strong', { 'class': 'reference' }, [s.reference])])); }
      if (s.reason) { box.appendChild(el('p', {}, [s.reason])); }
    }).catch(function () {
      box.textContent = '';
      box.appendChild(el('p', { 'class': 'note' }, [t('status.notFound')]));
    });
  }

  /* The comment form: JSON to the intake API (comments take JSON only), errors tied to their fields. */
  function commentForm(form) {
    form.hidden = false;
    var token = null;
    getJson('/form-token').then(function (t) { token = t.formToken; }).catch(function () { token = null; });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var result = document.getElementById('comment-result');
      result.textContent = '';
      ['displayName', 'email', 'body'].forEach(function (f) {
        var input = document.getElementById('comment-' + f);
        var err = document.getElementById('comment-' + f + '-error');
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
        err.hidden = true;
        err.textContent = '';
      });
      var body = { target: form.getAttribute('data-target'), displayName: form.displayName.value, email: form.email.value,
        body: form.body.value, language: form.language.value, website: form.website.value, formToken: token };
      fetch(api + '/comments?lang=' + lang, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify(body) }).then(function (r) {
        return r.json().then(function (j) { return { status: r.status, body: j }; });
      }).then(function (a) {
        if (a.status === 202) {
          form.reset();
          result.appendChild(el('p', { 'class': 'notice success' }, [a.body.message + ' ' + t('status.reference') + ': ' + a.body.reference]));
          return;
        }
        var first = null;
        (a.body.errors || []).forEach(function (er) {
          var input = document.getElementById('comment-' + er.field);
          var err = document.getElementById('comment-' + er.field + '-error');
          if (!input || !err) { return; }
          err.textContent = er.message;
          err.hidden = false;
          input.setAttribute('aria-invalid', 'true');
          input.setAttribute('aria-describedby', err.id);
        });
        ['displayName', 'email', 'body'].forEach(function (f) { /* focus the first field in error in the form's order */
          var input = document.getElementById('comment-' + f);
          if (!first && input.getAttribute('aria-invalid') === 'true') { first = input; }
        });
        result.appendChild(el('p', { 'class': 'error' }, [first ? t('commentErrors') : (a.body.detail || t('commentFailed'))]));
        if (first) { first.focus(); }
      }).catch(function () { result.appendChild(el('p', { 'class': 'error' }, [t('commentFailed')])); });
    });
  }

  var loading = [];
  var cf = document.getElementById('comment-form');
  if (cf) { commentForm(cf); }
  var lists = document.querySelectorAll('[data-list]');
  Array.prototype.forEach.call(lists, function (target) {
    var kind = target.getAttribute('data-list');
    target.textContent = t('loading');
    if (kind === 'upcoming-events') { loading.push(events(target, false)); }
    else if (kind === 'past-events') { loading.push(events(target, true)); }
    else if (kind === 'newest-resources') { loading.push(newest(target)); }
    else if (kind === 'library') { loading.push(library(target)); }
    else if (kind === 'comments') { loading.push(comments(target)); }
  });
  var itemBox = document.getElementById('item');
  if (itemBox) { loading.push(item(itemBox)); }
  var statusBox = document.getElementById('status');
  if (statusBox) { loading.push(status(statusBox)); }
  var summary = document.getElementById('error-summary');
  if (summary) { summary.focus(); }
  /* for tests and for anyone waiting: everything this page loads has arrived (or failed, and says so) */
  Promise.all(loading).then(function () { body.setAttribute('data-ready', 'true'); });
}());
