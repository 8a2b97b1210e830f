/* global document, location, Document, CSSStyleSheet, HTMLElement, customElements -- runs in the browser */
// <coverage-check plan-id="…" api="https://coverage.example.org" year="2026"></coverage-check>
// "Is my doctor in network?" for one plan, for plan-shopping sites: one script tag, styled by the host page
// through CSS custom properties (--coverage-check-*) and ::part(), talking to the public GraphQL API.
import { ApiError, el, gql } from './api.js';

const SEARCH = `query WidgetSearch($filter: ProviderSearchFilter!) {
  searchProviders(filter: $filter, first: 8) {
    edges { node { distanceMiles listing { npi displayName type specialties facilityTypes addresses { city state } } nearestAddress { city state } } }
  }
}`;
const CHECK = `query WidgetCheck($npis: [String!]!, $planIds: [String!]!, $year: Int) {
  networkCoverage(npis: $npis, planIds: $planIds, year: $year) {
    npi status reason message networkTiers acceptingNewPatients provenance { issuerName lastUpdatedOn }
  }
}`;
const PLAN = `query WidgetPlan($planId: String!) { plan(planId: $planId) { planId marketingName issuer { name } } }`;

const CSS = `
*, *::before, *::after { box-sizing: border-box; }
:host { display: block; font: inherit; color: var(--coverage-check-color, inherit); max-width: var(--coverage-check-max-width, 32rem); }
:host([hidden]) { display: none; }
.box { background: var(--coverage-check-background, transparent); border: var(--coverage-check-border-width, 1px) solid var(--coverage-check-border-color, #c9ccd3);
  border-radius: var(--coverage-check-radius, 6px); padding: var(--coverage-check-padding, 1rem); font-family: var(--coverage-check-font, inherit); }
.heading { font-weight: 700; font-size: 1.1em; margin: 0 0 0.25rem; }
.plan, .source, .detail { color: var(--coverage-check-muted, #4a4a55); font-size: 0.9em; margin: 0 0 0.5rem; }
form { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
.field { display: flex; flex-direction: column; flex: 1 1 10rem; }
.field.zip { flex: 0 1 6rem; }
label { font-weight: 600; font-size: 0.9em; }
input { font: inherit; padding: 0.4rem 0.5rem; min-height: 2.5rem; border: 2px solid var(--coverage-check-input-border, #6d7080); border-radius: var(--coverage-check-input-radius, 4px); color: inherit; background: var(--coverage-check-input-background, #fff); }
button { font: inherit; font-weight: 600; min-height: 2.5rem; padding: 0.4rem 1rem; cursor: pointer; border: 0; border-radius: var(--coverage-check-input-radius, 4px);
  background: var(--coverage-check-accent, #0a4fa8); color: var(--coverage-check-accent-text, #fff); }
:focus-visible { outline: 3px solid var(--coverage-check-focus, #c25e00); outline-offset: 2px; }
.message { min-height: 1.25em; margin: 0.5rem 0 0; }
.message.error { color: var(--coverage-check-bad, #a4161a); }
ul { list-style: none; padding: 0; margin: 0.5rem 0 0; }
li { padding: 0.5rem 0; border-top: 1px solid var(--coverage-check-border-color, #c9ccd3); }
.status { font-weight: 700; }
.in-network .status { color: var(--coverage-check-good, #0b6b2f); }
.out-of-network .status { color: var(--coverage-check-bad, #a4161a); }
.unknown .status { color: var(--coverage-check-unknown, #6b4e00); }
`;

const scriptOrigin = (() => {
  const script = document.currentScript;
  try {
    return script && script.src ? new URL(script.src).origin : location.origin;
  } catch {
    return location.origin;
  }
})();

let sharedSheet = null;
function styleShadow(root) {
  // A constructed stylesheet is not an inline <style>, so a host page's strict CSP does not block it.
  if ('adoptedStyleSheets' in Document.prototype && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sharedSheet) {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [sharedSheet];
  } else {
    root.append(el('style', {}, CSS));
  }
}

let instances = 0;

class CoverageCheck extends HTMLElement {
  static get observedAttributes() {
    return ['plan-id', 'api', 'year'];
  }

  constructor() {
    super();
    const id = `cc${++instances}`;
    this.root = this.attachShadow({ mode: 'open' });
    styleShadow(this.root);
    this.nameInput = el('input', { id: `${id}-name`, name: 'name', type: 'search', autocomplete: 'off', spellcheck: 'false', part: 'input name-input' });
    this.zipInput = el('input', {
      id: `${id}-zip`,
      name: 'zip',
      type: 'text',
      inputmode: 'numeric',
      maxlength: '5',
      autocomplete: 'postal-code',
      part: 'input zip-input',
    });
    this.planLine = el('p', { className: 'plan', part: 'plan' });
    this.message = el('p', { className: 'message', role: 'status', 'aria-live': 'polite', part: 'message' });
    this.results = el('ul', { part: 'results', 'aria-label': 'Doctors found' });
    const form = el(
      'form',
      { part: 'form', novalidate: true },
      el('div', { className: 'field' }, el('label', { for: `${id}-name`, part: 'label' }, "Doctor's or hospital's name"), this.nameInput),
      el('div', { className: 'field zip' }, el('label', { for: `${id}-zip`, part: 'label' }, 'ZIP (optional)'), this.zipInput),
      el('button', { type: 'submit', part: 'button' }, 'Check'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.check();
    });
    this.root.append(
      el(
        'section',
        { className: 'box', part: 'container', 'aria-labelledby': `${id}-heading` },
        el('p', { className: 'heading', id: `${id}-heading`, part: 'heading' }, 'Is my doctor in network?'),
        this.planLine,
        form,
        this.message,
        this.results,
      ),
    );
  }

  get planId() {
    return (this.getAttribute('plan-id') || '').trim().toUpperCase();
  }

  get endpoint() {
    return `${(this.getAttribute('api') || scriptOrigin).replace(/\/+$/, '')}/graphql`;
  }

  get year() {
    const year = Number(this.getAttribute('year'));
    return Number.isInteger(year) && year > 0 ? year : null;
  }

  connectedCallback() {
    this.loadPlan();
  }

  attributeChangedCallback(name, before, after) {
    if (before !== after && this.isConnected && name !== 'year') this.loadPlan();
  }

  say(text, isError = false) {
    this.message.textContent = text;
    this.message.classList.toggle('error', isError);
    this.message.setAttribute('part', isError ? 'message error' : 'message');
  }

  async loadPlan() {
    const planId = this.planId;
    this.results.replaceChildren();
    if (!/^[0-9]{5}[A-Z]{2}[0-9]{7}$/.test(planId)) {
      this.planLine.textContent = '';
      this.say(
        planId ? `"${planId}" is not a plan id: this check needs a 14-character plan id such as 10001OH0020001.` : 'This check needs a plan-id attribute.',
        true,
      );
      return;
    }
    try {
      const data = await gql(PLAN, { planId }, { endpoint: this.endpoint });
      if (!data.plan) {
        this.planLine.textContent = `Plan ${planId}`;
        this.say(`No insurance company has published plan ${planId}, so its network cannot be checked here.`, true);
        return;
      }
      this.planLine.textContent = `${data.plan.marketingName} · ${data.plan.issuer.name}`;
      this.say('');
    } catch (error) {
      this.planLine.textContent = `Plan ${planId}`;
      this.say(error instanceof ApiError ? error.message : 'The network check is not available right now.', true);
    }
  }

  async check() {
    const name = this.nameInput.value.trim();
    const zip = this.zipInput.value.trim();
    if (!name) {
      this.say("Type your doctor's or hospital's name.", true);
      this.nameInput.focus();
      return;
    }
    if (zip && !/^[0-9]{5}$/.test(zip)) {
      this.say(`"${zip}" is not a ZIP code: a ZIP code has 5 digits.`, true);
      this.zipInput.focus();
      return;
    }
    this.say('Checking…');
    try {
      const found = await gql(SEARCH, { filter: { name, zip: zip || null, radiusMiles: zip ? 25 : null } }, { endpoint: this.endpoint });
      const byNpi = new Map();
      for (const { node } of found.searchProviders.edges) if (node.listing.npi && !byNpi.has(node.listing.npi)) byNpi.set(node.listing.npi, node);
      const people = [...byNpi.values()].slice(0, 5);
      if (!people.length) {
        this.results.replaceChildren();
        this.say(`No doctor or hospital named "${name}" was found${zip ? ` near ${zip}` : ''}. Check the spelling.`);
        return;
      }
      const checked = await gql(CHECK, { npis: people.map((p) => p.listing.npi), planIds: [this.planId], year: this.year }, { endpoint: this.endpoint });
      const answers = new Map(checked.networkCoverage.map((a) => [a.npi, a]));
      this.results.replaceChildren(
        ...people.map(({ listing, nearestAddress }) => {
          const answer = answers.get(listing.npi);
          const kind = answer.status.toLowerCase().replace(/_/g, '-');
          const what = listing.type === 'FACILITY' ? listing.facilityTypes.join(', ') : listing.specialties.join(', ');
          const place = nearestAddress || listing.addresses[0];
          const status = { IN_NETWORK: 'In network', OUT_OF_NETWORK: 'Not in network', UNKNOWN: 'Unknown' }[answer.status];
          const details = [];
          if (answer.status === 'IN_NETWORK') {
            if (answer.networkTiers.length) details.push(`${answer.networkTiers.join(', ')} tier`);
            if (answer.acceptingNewPatients === true) details.push('accepting new patients');
            if (answer.acceptingNewPatients === false) details.push('not accepting new patients');
          } else if (answer.status === 'UNKNOWN') details.push(answer.message);
          return el(
            'li',
            { className: kind, part: `result result-${kind}`, 'data-npi': listing.npi },
            el('strong', {}, listing.displayName),
            ' ',
            el('span', { className: 'detail' }, [what, place ? `${place.city}, ${place.state}` : null].filter(Boolean).join(' · ')),
            el('div', {}, el('span', { className: 'status', part: 'status' }, status), details.length ? ` · ${details.join(' · ')}` : ''),
            answer.provenance
              ? el(
                  'div',
                  { className: 'source', part: 'source' },
                  `Source: ${answer.provenance.issuerName}${answer.provenance.lastUpdatedOn ? `, updated ${answer.provenance.lastUpdatedOn}` : ''}`,
                )
              : null,
          );
        }),
      );
      this.say(`${people.length} found.`);
    } catch (error) {
      this.say(error instanceof ApiError ? error.message : 'The network check is not available right now.', true);
    }
  }
}

if (!customElements.get('coverage-check')) customElements.define('coverage-check', CoverageCheck);
