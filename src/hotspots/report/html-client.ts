/**
 * The report's only script, inlined and allowed by its hash in the page's Content-Security-Policy.
 * It reads the embedded JSON and builds every piece of repository text with textContent (never
 * innerHTML), so data cannot become markup. Plain ES2020 in a string: it runs in the browser, not
 * in Node, and is exercised by the Chromium tests.
 */
export const reportScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('hotspots-data').textContent);
  var files = data.files;
  var card = document.getElementById('map-card');
  var svg = card.querySelector('.map svg');
  var tooltip = document.getElementById('tooltip');
  var panel = document.getElementById('panel');
  var idlePanel = Array.prototype.slice.call(panel.childNodes);
  var hoverRing = document.getElementById('hover-ring');
  var selectRing = document.getElementById('select-ring');
  var coupleRings = document.getElementById('couple-rings');
  var table = document.getElementById('files-table');
  var tbody = table.tBodies[0];
  var numbers = new Intl.NumberFormat('en-US');

  var shapes = [];
  svg.querySelectorAll('rect.f').forEach(function (el) { shapes[Number(el.dataset.i)] = el; });
  var rows = [];
  Array.prototype.forEach.call(tbody.rows, function (tr) { rows[Number(tr.dataset.i)] = tr; });

  var indexOf = new Map();
  files.forEach(function (f, i) { indexOf.set(f.path, i); });
  var coupled = files.map(function () { return []; });
  data.coupling.forEach(function (c) {
    var a = indexOf.get(c.a), b = indexOf.get(c.b);
    if (a === undefined || b === undefined) return;
    coupled[a].push({ other: b, degree: c.degree, shared: c.shared });
    coupled[b].push({ other: a, degree: c.degree, shared: c.shared });
  });

  function count(n) { return Number.isFinite(n) ? numbers.format(Math.round(n)) : '—'; }
  function score(n) { return Number.isFinite(n) ? n.toFixed(data.scoreDecimals) : '—'; }
  function health(n) { return Number.isFinite(n) ? n.toFixed(1) : '—'; }
  function band(h) { return h < 4 ? 'alert' : h < 9 ? 'warning' : 'healthy'; }
  function percent(n) { return Math.round(n * 100) + '%'; }

  /** An element with attributes and children; strings become text nodes, never markup. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'class') el.className = attrs[k];
      else el.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var kid = arguments[i];
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
  }

  function pathParts(path, cls) {
    var cut = path.lastIndexOf('/') + 1;
    return h('span', { class: cls || 'path' },
      cut > 0 ? h('span', { class: 'dirname' }, path.slice(0, cut)) : null,
      h('span', { class: 'base' }, path.slice(cut)));
  }

  function badge(value) {
    return h('span', { class: 'badge ' + band(value) }, health(value));
  }

  function where(smell) {
    return (smell.function ? smell.function + '  · line ' : 'line ') + smell.line;
  }

  // Tooltip: the summary of one file, for the pointer and for keyboard focus alike.
  function fillTooltip(i) {
    var f = files[i];
    var list = null;
    if (f.smells.length) {
      list = h('ul', null);
      f.smells.slice(0, 3).forEach(function (s) { list.append(h('li', null, s.kind + ' — ' + where(s))); });
    }
    tooltip.replaceChildren(
      pathParts(f.path),
      h('dl', null,
        h('dt', null, 'Score'), h('dd', null, score(f.score)),
        h('dt', null, 'From'), h('dd', null, f.why),
        h('dt', null, 'Health'), h('dd', null, health(f.health)),
        h('dt', null, 'Revisions'), h('dd', null, count(f.revisions)),
        h('dt', null, 'LOC'), h('dd', null, count(f.loc))),
      list || h('div', { class: 'none' }, 'No code smells'),
      f.smells.length > 3 ? h('div', { class: 'more' }, '+ ' + (f.smells.length - 3) + ' more smells') : null,
      h('div', { class: 'hint' }, selected === i ? 'Pinned in the panel' : 'Click or press Enter to pin the details'));
    tooltip.hidden = false;
  }

  function placeTooltip(x, y) {
    var pad = 14, w = tooltip.offsetWidth, ht = tooltip.offsetHeight;
    var left = x + pad + w > window.innerWidth - 8 ? x - pad - w : x + pad;
    var top = y + pad + ht > window.innerHeight - 8 ? y - pad - ht : y + pad;
    tooltip.style.left = Math.max(8, left) + 'px';
    tooltip.style.top = Math.max(8, top) + 'px';
  }

  function hideTooltip() {
    tooltip.hidden = true;
    ring(hoverRing, null);
  }

  function ring(el, shape) {
    ['x', 'y', 'width', 'height'].forEach(function (a) {
      el.setAttribute(a, shape ? shape.getAttribute(a) : '0');
    });
  }

  function shapeOf(target) {
    var el = target && target.closest ? target.closest('rect.f') : null;
    return el && svg.contains(el) ? el : null;
  }

  var hovered = -1;
  svg.addEventListener('pointermove', function (event) {
    var shape = shapeOf(event.target);
    if (!shape) { hovered = -1; hideTooltip(); return; }
    var i = Number(shape.dataset.i);
    if (i !== hovered) { hovered = i; fillTooltip(i); ring(hoverRing, shape); }
    placeTooltip(event.clientX, event.clientY);
  });
  svg.addEventListener('pointerleave', function () { hovered = -1; hideTooltip(); });
  svg.addEventListener('click', function (event) {
    var shape = shapeOf(event.target);
    if (shape) select(Number(shape.dataset.i), false);
  });

  // Keyboard: one tab stop in the map; arrows walk the files by rank, Enter pins, Escape clears.
  var current = 0;
  function focusShape(i) {
    if (i < 0 || i >= shapes.length) return;
    shapes[current].tabIndex = -1;
    current = i;
    shapes[i].tabIndex = 0;
    shapes[i].focus();
  }
  svg.addEventListener('focusin', function (event) {
    var shape = shapeOf(event.target);
    if (!shape) return;
    var i = Number(shape.dataset.i);
    fillTooltip(i);
    ring(hoverRing, shape);
    var box = shape.getBoundingClientRect();
    placeTooltip(box.left + Math.min(box.width, 40), box.top + Math.min(box.height, 24));
  });
  svg.addEventListener('focusout', function () { if (hovered < 0) hideTooltip(); });
  svg.addEventListener('keydown', function (event) {
    var shape = shapeOf(event.target);
    if (!shape) return;
    var i = Number(shape.dataset.i);
    var moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (event.key in moves) focusShape(Math.min(shapes.length - 1, Math.max(0, i + moves[event.key])));
    else if (event.key === 'Home') focusShape(0);
    else if (event.key === 'End') focusShape(shapes.length - 1);
    else if (event.key === 'Enter' || event.key === ' ') select(i, false);
    else if (event.key === 'Escape') { clearSelection(); hideTooltip(); }
    else return;
    event.preventDefault();
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && selected >= 0) clearSelection();
  });

  // Selection: the pinned file's details in the panel, its ring and its coupled files on the map.
  var selected = -1;
  function select(i, reveal) {
    if (i < 0 || i >= files.length) return;
    if (selected >= 0) rows[selected].removeAttribute('aria-current');
    selected = i;
    rows[i].setAttribute('aria-current', 'true');
    ring(selectRing, shapes[i]);
    coupleRings.replaceChildren();
    coupled[i].slice(0, 24).forEach(function (c) {
      var r = document.createElementNS(svg.namespaceURI, 'rect');
      r.setAttribute('class', 'ring couple');
      ring(r, shapes[c.other]);
      coupleRings.append(r);
    });
    shapes[current].tabIndex = -1;
    current = i;
    shapes[i].tabIndex = 0;
    renderPanel(i);
    if (!tooltip.hidden && hovered === i) fillTooltip(i);
    if (reveal) card.scrollIntoView({ block: 'start' });
  }

  function clearSelection() {
    if (selected >= 0) rows[selected].removeAttribute('aria-current');
    selected = -1;
    ring(selectRing, null);
    coupleRings.replaceChildren();
    panel.replaceChildren.apply(panel, idlePanel);
  }

  function stat(label, value) {
    return h('div', { class: 'stat' }, h('span', null, label), h('b', null, value));
  }

  function renderPanel(i) {
    var f = files[i];
    var close = h('button', { type: 'button', class: 'close', 'aria-label': 'Clear the selection' }, '×');
    close.addEventListener('click', function () { clearSelection(); shapes[i].focus(); });
    var churn = h('b', null, h('span', { class: 'add' }, '+' + count(f.added)), ' ', h('span', { class: 'del' }, '−' + count(f.deleted)));
    var parts = [
      h('div', { class: 'panel-head' },
        h('div', null,
          h('p', { class: 'eyebrow' }, 'Hotspot #' + (i + 1) + ' of ' + count(files.length)),
          h('h3', null, pathParts(f.path))),
        close),
      h('div', { class: 'stats' },
        stat('Score', score(f.score)),
        h('div', { class: 'stat' }, h('span', null, 'Health'), badge(f.health)),
        stat('Score from', f.why),
        stat('Revisions', count(f.revisions)),
        stat('Bug fixes', count(f.fixes || 0)),
        stat('Lines of code', count(f.loc)),
        stat('Authors', count(f.authors)),
        h('div', { class: 'stat churn' }, h('span', null, 'Churn'), churn)),
    ];
    parts.push(h('h4', null, f.smells.length ? 'Code smells (' + f.smells.length + ')' : 'Code smells'));
    if (f.smells.length) {
      var ul = h('ul', { class: 'smells' });
      f.smells.forEach(function (s) {
        ul.append(h('li', null, h('strong', null, s.kind), ' ', h('span', { class: 'where' }, where(s)), h('span', { class: 'detail' }, s.detail)));
      });
      parts.push(ul);
    } else parts.push(h('p', { class: 'lead' }, 'None found: nothing here lowers the health.'));
    if (f.functions.length) {
      parts.push(h('h4', null, 'Most complex functions' + (f.functionCount > f.functions.length ? ' (' + f.functions.length + ' of ' + f.functionCount + ')' : '')));
      var head = h('tr', null, h('th', null, 'Function'),
        h('th', null, h('abbr', { title: 'Cyclomatic complexity' }, 'Cyc')),
        h('th', null, h('abbr', { title: 'Cognitive complexity' }, 'Cog')),
        h('th', null, h('abbr', { title: 'Deepest nesting' }, 'Nest')),
        h('th', null, h('abbr', { title: 'Length in lines' }, 'Lines')),
        h('th', null, h('abbr', { title: 'Parameters' }, 'Args')));
      var body = h('tbody', null);
      f.functions.forEach(function (fn) {
        body.append(h('tr', null,
          h('td', null, fn.name, ' ', h('span', { class: 'ln' }, ':' + fn.line)),
          h('td', { class: fn.cyclomatic >= 9 ? 'hot' : '' }, fn.cyclomatic),
          h('td', { class: fn.cognitive >= 15 ? 'hot' : '' }, fn.cognitive),
          h('td', { class: fn.nesting >= 4 ? 'hot' : '' }, fn.nesting),
          h('td', { class: fn.length > 70 ? 'hot' : '' }, fn.length),
          h('td', { class: fn.params > 4 ? 'hot' : '' }, fn.params)));
      });
      parts.push(h('table', { class: 'fns' }, h('thead', null, head), body));
    }
    if (coupled[i].length) {
      parts.push(h('h4', null, 'Changes together with'));
      var list = h('ul', { class: 'quick' });
      coupled[i].slice().sort(function (x, y) { return y.degree - x.degree; }).slice(0, 12).forEach(function (c) {
        var b = h('button', { type: 'button', class: 'linkish', 'data-i': String(c.other) },
          pathParts(files[c.other].path, 'path'), ' ',
          h('span', { class: 'dirname' }, percent(c.degree) + ', ' + count(c.shared) + ' shared'));
        list.append(h('li', null, b));
      });
      parts.push(list);
    }
    panel.replaceChildren.apply(panel, parts);
    panel.scrollTop = 0;
  }

  // Any element with data-i outside the map (table, couplings, panel lists) pins that file.
  document.addEventListener('click', function (event) {
    var el = event.target.closest ? event.target.closest('button[data-i]') : null;
    if (!el || svg.contains(el)) return;
    var i = Number(el.dataset.i);
    if (Number.isInteger(i)) select(i, !panel.contains(el));
  });

  // Colour toggle: CSS picks the fill from the data-colour attribute.
  card.querySelectorAll('input[name="colour"]').forEach(function (input) {
    input.addEventListener('change', function () { if (input.checked) card.dataset.colour = input.value; });
  });

  // Sortable table: rows are moved, not rebuilt, so their buttons and state stay.
  var keys = {
    rank: function (i) { return i; },
    path: function (i) { return files[i].path; },
    score: function (i) { return files[i].score; },
    health: function (i) { return files[i].health; },
    revisions: function (i) { return files[i].revisions; },
    churn: function (i) { return files[i].added + files[i].deleted; },
    authors: function (i) { return files[i].authors; },
    loc: function (i) { return files[i].loc; },
    smells: function (i) { return files[i].smells.length; },
  };
  var ascendingFirst = { rank: true, path: true, health: true };
  var sortState = { key: 'score', dir: -1 };
  table.querySelectorAll('th button[data-key]').forEach(function (button) {
    button.addEventListener('click', function () {
      var key = button.dataset.key;
      var dir = sortState.key === key ? -sortState.dir : ascendingFirst[key] ? 1 : -1;
      sortState = { key: key, dir: dir };
      var value = keys[key];
      var order = files.map(function (_, i) { return i; });
      order.sort(function (x, y) {
        var a = value(x), b = value(y);
        var c = typeof a === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : (a - b) || 0;
        return c * dir || x - y;
      });
      var fragment = document.createDocumentFragment();
      order.forEach(function (i) { fragment.append(rows[i]); });
      tbody.append(fragment);
      table.querySelectorAll('th').forEach(function (th) { th.removeAttribute('aria-sort'); });
      button.parentElement.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    });
  });
})();
`;
