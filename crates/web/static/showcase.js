// 晒拼 screens, progressive enhancement only: every page works without it.
// Presenter mode: a countdown of the presenter's minutes; ←/→ (or PageUp/PageDown, as
// presentation clickers send) go to the previous/next unit through the page's own links.
(() => {
  const body = document.body;
  if (body.classList.contains('sc-present')) {
    const timer = document.getElementById('sc-timer');
    let left = Number(body.dataset.minutes || 0) * 60;
    const show = () => {
      const m = Math.floor(Math.abs(left) / 60);
      const s = String(Math.abs(left) % 60).padStart(2, '0');
      timer.textContent = `${left < 0 ? '−' : ''}${m}:${s}`;
      timer.classList.toggle('sc-late', left < 0);
      timer.classList.toggle('sc-soon', left >= 0 && left <= 60);
    };
    show();
    setInterval(() => { left -= 1; show(); }, 1000);
    document.addEventListener('keydown', (e) => {
      const go = (id) => { const a = document.getElementById(id); if (a) location.href = a.href; };
      if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === ' ') go('sc-next');
      if (e.key === 'ArrowLeft' || e.key === 'PageUp') go('sc-prev');
    });
  }
  // Live results: poll the JSON every second while the event is live and redraw the rows.
  const table = document.getElementById('sc-results');
  if (table && table.dataset.live) {
    const provisional = document.getElementById('sc-provisional')?.innerHTML || '';
    const count = document.getElementById('sc-submitted');
    const cell = (text) => { const td = document.createElement('td'); td.textContent = text; return td; };
    const draw = (r) => {
      count.textContent = r.submitted;
      const tbody = table.tBodies[0];
      tbody.replaceChildren(...r.lines.map((l) => {
        const tr = document.createElement('tr');
        tr.dataset.presenter = l.presenter_id;
        const score = cell(l.score);
        score.className = 'sc-score';
        if (l.provisional && l.score) {
          const tag = document.createElement('span');
          tag.className = 'tag flag';
          tag.innerHTML = provisional;
          score.append(' ', tag);
        }
        tr.append(cell(l.group), cell(l.rank ?? ''), cell(l.unit_name), score,
          cell(l.dropped > 0 ? `${l.cards} (−${l.dropped})` : String(l.cards)),
          cell(l.dropped > 0 ? l.dropped_sum : ''));
        return tr;
      }));
    };
    let last = -1;
    const poll = async () => {
      try {
        const res = await fetch(table.dataset.source, { credentials: 'same-origin' });
        if (res.ok) { const r = await res.json(); if (r.submitted !== last) { last = r.submitted; draw(r); } }
      } catch (_) { /* the next poll tries again */ }
      setTimeout(poll, 1000);
    };
    poll();
  }
})();
