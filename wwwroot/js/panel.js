// The side panel, which slides over the map on small screens.
import { $ } from './dom.js';
import { map } from './map.js';

export function togglePanel(open) {
  document.body.classList.toggle('panel-open', open);
  $('panel-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
  setTimeout(() => map.invalidateSize(), 250);
}

export function closePanelOnPhone() {
  if (window.matchMedia('(max-width: 700px)').matches) togglePanel(false);
}

export function wirePanel() {
  $('panel-toggle').addEventListener('click', () => togglePanel(!document.body.classList.contains('panel-open')));
  $('panel-close').addEventListener('click', () => togglePanel(false));
}
