// Progressive enhancement only: every page works without it.
// A problem sent back with a redirect (?err=field.code) is shown at the top of the page, named;
// here it moves beside the field it is about, and the field is marked.
document.querySelectorAll('p.error[data-field]').forEach((p) => {
  const field = document.querySelector(`form [name="${CSS.escape(p.dataset.field)}"]`);
  if (!field) return;
  p.id = p.id || `${p.dataset.field}-problem`;
  field.setAttribute('aria-invalid', 'true');
  field.setAttribute('aria-describedby', p.id);
  field.insertAdjacentElement('afterend', p);
  field.closest('details')?.setAttribute('open', '');
});
