/* global document, history, location -- runs in the browser */
import { ApiError, dollars, el, gql, say } from './api.js';

// The same queries plan-shopping sites send to POST /graphql.
const SEARCH_PROVIDERS = `query SearchProviders($filter: ProviderSearchFilter!) {
  searchProviders(filter: $filter, first: 10) {
    edges { node {
      distanceMiles
      nearestAddress { address city state zip }
      listing { npi displayName type specialties facilityTypes accepting addresses { address city state zip } provenance { issuerName } }
    } }
  }
}`;
const SEARCH_DRUGS = `query SearchDrugs($query: String!) {
  searchDrugs(query: $query, first: 8) { edges { node { rxnormId drugName otherNames } } }
}`;
const FIND_PLANS = `query FindPlans($state: String, $zip: String, $year: Int!, $npis: [String!], $rxnormIds: [String!], $metalLevels: [String!], $issuerId: String) {
  findPlans(state: $state, zip: $zip, year: $year, npis: $npis, rxnormIds: $rxnormIds, metalLevels: $metalLevels, issuerId: $issuerId, first: 50) {
    state plansConsidered plansCoveringAll note
    plans {
      rank planId coversAll doctorsInNetwork doctorsTotal drugsCovered drugsTotal estimatedMonthlyDrugCost monthlyCopayTotal costNotes
      plan { marketingName metalLevel issuer { issuerId name } }
    }
  }
}`;
const COMPARE_PLANS = `query ComparePlans($npis: [String!], $rxnormIds: [String!], $planIds: [String!], $year: Int) {
  comparePlans(npis: $npis, rxnormIds: $rxnormIds, planIds: $planIds, year: $year) {
    plans {
      planId plan { marketingName metalLevel issuer { name } }
      doctorsInNetwork doctorsTotal drugsCovered drugsTotal estimatedMonthlyDrugCost monthlyCopayTotal costNotes
    }
    doctors {
      npi planId status reason message networkTiers acceptingNewPatients accepting
      provenance { issuerName sourceFile lastUpdatedOn daysSinceLoad }
    }
    drugs {
      rxnormId planId status reason message drugTier priorAuthorization stepTherapy quantityLimit costSummary
      estimate { pharmacyType monthlyLow monthlyHigh }
      genericCovered { rxnormId drugName drugTier costSummary }
      provenance { issuerName sourceFile lastUpdatedOn daysSinceLoad }
    }
  }
}`;
const REPORT_LISTING = `mutation ReportListing($input: ReportListingInput!) {
  reportListing(input: $input) { id status }
}`;

const $ = (id) => document.getElementById(id);
const chosen = { doctors: new Map(), drugs: new Map(), plans: new Map() };
let lastGridAnswer = null;

// ---- Shareable URLs: the whole selection lives in the query string. ----

function readUrl() {
  const params = new URLSearchParams(location.search);
  const list = (key) =>
    (params.get(key) || '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    name: params.get('name') || '',
    specialty: params.get('specialty') || '',
    zip: params.get('zip') || '',
    radius: params.get('radius') || '',
    drug: params.get('drug') || '',
    state: params.get('state') || '',
    year: params.get('year') || '',
    issuer: params.get('issuer') || '',
    metal: list('metal'),
    npis: list('npi'),
    rxnormIds: list('rx'),
    planIds: list('plan'),
  };
}

function writeUrl() {
  const params = new URLSearchParams();
  const set = (key, value) => {
    if (value) params.set(key, value);
  };
  set('name', $('doctor-name').value.trim());
  set('specialty', $('doctor-specialty').value.trim());
  set('zip', $('doctor-zip').value.trim() || $('plan-zip').value.trim());
  if ($('doctor-radius').value !== '25') set('radius', $('doctor-radius').value);
  set('drug', $('drug-name').value.trim());
  set('state', $('plan-state').value.trim().toUpperCase());
  set('year', $('plan-year').value.trim());
  set('issuer', $('plan-issuer').value);
  set('metal', checkedMetals().join(','));
  set('npi', [...chosen.doctors.keys()].join(','));
  set('rx', [...chosen.drugs.keys()].join(','));
  set('plan', [...chosen.plans.keys()].join(','));
  const query = params.toString().replace(/%2C/g, ',');
  const url = `${location.pathname}${query ? `?${query}` : ''}`;
  history.replaceState(null, '', url);
  $('share-link').href = url;
}

function checkedMetals() {
  return [...document.querySelectorAll('input[name="metal"]:checked')].map((box) => box.value);
}

function showError(region, error) {
  if (error && error.name === 'AbortError') return;
  say(
    region,
    error instanceof ApiError ? error.message : 'Something went wrong on this page. Please reload and try again; the link keeps your choices.',
    'error',
  );
  if (!(error instanceof ApiError)) console.error(error);
}

// ---- 1. Doctors ----

function describeAddress(address) {
  return address ? `${address.address}, ${address.city}, ${address.state} ${address.zip}` : '';
}

async function searchDoctors(event) {
  if (event) event.preventDefault();
  const region = $('doctor-message');
  const name = $('doctor-name').value.trim();
  const specialty = $('doctor-specialty').value.trim();
  const zip = $('doctor-zip').value.trim();
  writeUrl();
  if (!name && !specialty && !zip) {
    say(region, 'Type a name, a specialty or a ZIP code to search.', 'error');
    $('doctor-results').replaceChildren();
    $('doctor-name').focus();
    return;
  }
  if (zip && !/^[0-9]{5}$/.test(zip)) {
    say(region, `"${zip}" is not a ZIP code: a ZIP code has 5 digits.`, 'error');
    $('doctor-zip').focus();
    return;
  }
  if (zip && !$('plan-zip').value.trim()) $('plan-zip').value = zip;
  const filter = { name: name || null, specialty: specialty || null, zip: zip || null, radiusMiles: zip ? Number($('doctor-radius').value) : null };
  say(region, 'Searching…');
  try {
    const data = await gql(SEARCH_PROVIDERS, { filter });
    // One listing per carrier directory: show each NPI once, with the directories that list it.
    const byNpi = new Map();
    for (const { node } of data.searchProviders.edges) {
      const npi = node.listing.npi;
      if (!npi) continue;
      const seen = byNpi.get(npi);
      if (seen) seen.issuers.add(node.listing.provenance.issuerName);
      else byNpi.set(npi, { ...node, issuers: new Set([node.listing.provenance.issuerName]) });
    }
    renderDoctorResults([...byNpi.values()]);
    const where = zip ? ` within ${$('doctor-radius').value} miles of ${zip}` : '';
    say(
      region,
      byNpi.size
        ? `${byNpi.size} found${where}.`
        : `No doctor or hospital found${name ? ` named "${name}"` : ''}${specialty ? ` in ${specialty}` : ''}${where}. Check the spelling, or widen the distance.`,
    );
  } catch (error) {
    showError(region, error);
  }
}

function renderDoctorResults(results) {
  $('doctor-results').replaceChildren(
    ...results.map((result) => {
      const { listing } = result;
      const what = listing.type === 'FACILITY' ? listing.facilityTypes.join(', ') || 'Facility' : listing.specialties.join(', ') || 'Doctor';
      const address = result.nearestAddress || listing.addresses[0];
      const detail = [what, describeAddress(address), result.distanceMiles != null ? `${result.distanceMiles.toFixed(1)} miles away` : null]
        .filter(Boolean)
        .join(' · ');
      const button = el('button', { type: 'button', className: 'secondary', 'data-npi': listing.npi });
      const sync = () => {
        const isChosen = chosen.doctors.has(listing.npi);
        button.textContent = isChosen ? `Remove ${listing.displayName}` : `Add ${listing.displayName}`;
        button.setAttribute('aria-pressed', String(isChosen));
      };
      sync();
      button.addEventListener('click', () => {
        if (chosen.doctors.has(listing.npi)) chosen.doctors.delete(listing.npi);
        else chosen.doctors.set(listing.npi, { npi: listing.npi, name: listing.displayName, detail: what });
        sync();
        selectionChanged();
      });
      return el(
        'li',
        { className: 'result' },
        el(
          'div',
          {},
          el('strong', {}, listing.displayName),
          el('span', { className: 'detail' }, detail),
          el('span', { className: 'detail' }, `NPI ${listing.npi} · listed by ${[...result.issuers].join(', ')}`),
        ),
        button,
      );
    }),
  );
}

// ---- 2. Drugs ----

let drugSearch = null;
let drugTimer = 0;

async function searchDrugs(event) {
  if (event) event.preventDefault();
  clearTimeout(drugTimer);
  const region = $('drug-message');
  const query = $('drug-name').value.trim();
  writeUrl();
  if (!query) {
    $('drug-results').replaceChildren();
    if (event && event.type === 'submit') {
      say(region, 'Type the start of a drug name, for example "lipitor".', 'error');
      $('drug-name').focus();
    } else say(region, '');
    return;
  }
  if (drugSearch) drugSearch.abort();
  drugSearch = new AbortController();
  try {
    const data = await gql(SEARCH_DRUGS, { query }, { signal: drugSearch.signal });
    const drugs = data.searchDrugs.edges.map((edge) => edge.node);
    renderDrugResults(drugs);
    say(
      region,
      drugs.length
        ? `${drugs.length} ${drugs.length === 1 ? 'drug matches' : 'drugs match'} "${query}".`
        : `No drug in the published formularies matches "${query}". Check the spelling.`,
    );
  } catch (error) {
    showError(region, error);
  }
}

function renderDrugResults(drugs) {
  $('drug-results').replaceChildren(
    ...drugs.map((drug) => {
      const button = el('button', { type: 'button', className: 'secondary', 'data-rxcui': drug.rxnormId });
      const sync = () => {
        const isChosen = chosen.drugs.has(drug.rxnormId);
        button.textContent = isChosen ? `Remove ${drug.drugName}` : `Add ${drug.drugName}`;
        button.setAttribute('aria-pressed', String(isChosen));
      };
      sync();
      button.addEventListener('click', () => {
        if (chosen.drugs.has(drug.rxnormId)) chosen.drugs.delete(drug.rxnormId);
        else chosen.drugs.set(drug.rxnormId, { rxnormId: drug.rxnormId, name: drug.drugName });
        sync();
        selectionChanged();
      });
      const other = drug.otherNames.length ? `Also: ${drug.otherNames.join(', ')} · ` : '';
      return el(
        'li',
        { className: 'result' },
        el('div', {}, el('strong', {}, drug.drugName), el('span', { className: 'detail' }, `${other}RxNorm ${drug.rxnormId}`)),
        button,
      );
    }),
  );
}

// ---- Chosen lists ----

function renderChosen() {
  const list = (target, items, label, remove) => {
    target.replaceChildren(
      ...(items.length
        ? items.map((item) =>
            el(
              'li',
              {},
              el('span', {}, el('strong', {}, item.name), item.detail ? ` · ${item.detail}` : ''),
              el('button', { type: 'button', className: 'link-button', onclick: () => remove(item) }, `Remove ${item.name}`),
            ),
          )
        : [el('li', { className: 'empty' }, label)]),
    );
  };
  list($('doctor-chosen'), [...chosen.doctors.values()], 'None yet.', (item) => {
    chosen.doctors.delete(item.npi);
    syncResultButtons();
    selectionChanged();
  });
  list($('drug-chosen'), [...chosen.drugs.values()], 'None yet.', (item) => {
    chosen.drugs.delete(item.rxnormId);
    syncResultButtons();
    selectionChanged();
  });
}

function syncResultButtons() {
  for (const button of document.querySelectorAll('#doctor-results button[data-npi], #drug-results button[data-rxcui]')) {
    const npi = button.getAttribute('data-npi');
    const rxcui = button.getAttribute('data-rxcui');
    const isChosen = npi ? chosen.doctors.has(npi) : chosen.drugs.has(rxcui);
    const name = button.textContent.replace(/^(Add|Remove) /, '');
    button.textContent = `${isChosen ? 'Remove' : 'Add'} ${name}`;
    button.setAttribute('aria-pressed', String(isChosen));
  }
}

// ---- 3. Plans ----

const issuersSeen = new Map();

async function findPlans(event) {
  if (event) event.preventDefault();
  const region = $('plan-message');
  const zip = $('plan-zip').value.trim();
  const state = $('plan-state').value.trim().toUpperCase();
  const year = Number($('plan-year').value);
  writeUrl();
  if (!zip && !state) {
    say(region, 'Type your ZIP code or a state to find the plans sold there.', 'error');
    $('plan-zip').focus();
    return;
  }
  if (zip && !/^[0-9]{5}$/.test(zip)) {
    say(region, `"${zip}" is not a ZIP code: a ZIP code has 5 digits.`, 'error');
    $('plan-zip').focus();
    return;
  }
  if (state && !/^[A-Z]{2}$/.test(state)) {
    say(region, `"${$('plan-state').value.trim()}" is not a state: use its 2 letters, e.g. OH.`, 'error');
    $('plan-state').focus();
    return;
  }
  if (!Number.isInteger(year) || year < 2014 || year > 2100) {
    say(region, 'Type a plan year such as 2026.', 'error');
    $('plan-year').focus();
    return;
  }
  say(region, 'Looking for plans…');
  try {
    const data = await gql(FIND_PLANS, {
      state: state || null,
      zip: zip || null,
      year,
      npis: [...chosen.doctors.keys()],
      rxnormIds: [...chosen.drugs.keys()],
      metalLevels: checkedMetals().length ? checkedMetals() : null,
      issuerId: $('plan-issuer').value || null,
    });
    const found = data.findPlans;
    planListKey = `${[...chosen.doctors.keys()]}|${[...chosen.drugs.keys()]}`;
    if (!state) $('plan-state').value = found.state;
    for (const plan of found.plans) issuersSeen.set(plan.plan.issuer.issuerId, plan.plan.issuer.name);
    renderIssuerOptions();
    renderPlanResults(found.plans);
    writeUrl();
    const asked = chosen.doctors.size + chosen.drugs.size;
    say(
      region,
      found.plans.length
        ? `${found.plansConsidered} plans in ${found.state} for ${year}${asked ? `; ${found.plansCoveringAll} cover all your doctors and drugs` : ''}. Best matches first. ${found.note.replace(/^[^.]*\.[^.]*\.\s*/, '')}`
        : `No published plan in ${found.state} for ${year} matches these choices.`,
    );
  } catch (error) {
    showError(region, error);
  }
}

function renderIssuerOptions() {
  const select = $('plan-issuer');
  const current = select.value;
  select.replaceChildren(
    el('option', { value: '' }, 'Any'),
    ...[...issuersSeen].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => el('option', { value: id }, name)),
  );
  select.value = issuersSeen.has(current) ? current : '';
}

function renderPlanResults(plans) {
  if (!plans.length) {
    $('plan-results').replaceChildren();
    return;
  }
  const rows = plans.map((found) => {
    const name = found.plan.marketingName;
    const box = el('input', {
      type: 'checkbox',
      id: `plan-${found.planId}`,
      value: found.planId,
      'data-plan-id': found.planId,
      'aria-label': `Compare ${name}`,
    });
    box.checked = chosen.plans.has(found.planId);
    box.addEventListener('change', () => {
      if (box.checked) chosen.plans.set(found.planId, { planId: found.planId, name });
      else chosen.plans.delete(found.planId);
      selectionChanged();
    });
    const cost = found.drugsTotal === 0 ? '—' : drugCostLine(found);
    return el(
      'tr',
      {},
      el('td', {}, box),
      el('td', { 'data-label': 'Rank' }, String(found.rank)),
      el(
        'th',
        { scope: 'row' },
        el('label', { for: `plan-${found.planId}` }, name),
        el('span', { className: 'detail' }, `${found.plan.metalLevel || 'No metal level'} · ${found.plan.issuer.name} · ${found.planId}`),
      ),
      el('td', { 'data-label': 'Your doctors' }, found.doctorsTotal ? `${found.doctorsInNetwork} of ${found.doctorsTotal} in network` : '—'),
      el('td', { 'data-label': 'Your drugs' }, found.drugsTotal ? `${found.drugsCovered} of ${found.drugsTotal} covered` : '—'),
      el('td', { 'data-label': 'Drug cost' }, cost, found.drugsTotal ? el('span', { className: 'detail' }, found.costNotes) : null),
    );
  });
  $('plan-results').replaceChildren(
    el(
      'table',
      { className: 'data stack', id: 'plan-table' },
      el('caption', {}, 'Plans, best match first. Tick the plans to compare below.'),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['Compare', 'Rank', 'Plan', 'Your doctors', 'Your drugs', 'Estimated monthly drug cost'].map((h) => el('th', { scope: 'col' }, h)),
        ),
      ),
      el('tbody', {}, rows),
    ),
  );
}

// ---- 4. The grid ----

let gridTimer = 0;
let gridRequest = null;

let planListTimer = 0;
let planListKey = '';

function selectionChanged() {
  // The plan list ranks plans for the chosen doctors and drugs: rank again when those change.
  const key = `${[...chosen.doctors.keys()]}|${[...chosen.drugs.keys()]}`;
  if (key !== planListKey && document.getElementById('plan-table')) {
    clearTimeout(planListTimer);
    planListTimer = setTimeout(() => findPlans(), 150);
  }
  planListKey = key;
  renderChosen();
  writeUrl();
  clearTimeout(gridTimer);
  gridTimer = setTimeout(loadGrid, 150);
}

async function loadGrid() {
  const region = $('grid-message');
  const planIds = [...chosen.plans.keys()];
  if (!planIds.length || (!chosen.doctors.size && !chosen.drugs.size)) {
    $('grid').replaceChildren();
    say(region, !planIds.length ? 'Tick plans above to compare them for your doctors and drugs.' : 'Add a doctor or a drug to compare the plans you ticked.');
    return;
  }
  if (gridRequest) gridRequest.abort();
  gridRequest = new AbortController();
  say(region, 'Comparing plans…');
  const year = Number($('plan-year').value) || null;
  try {
    const data = await gql(
      COMPARE_PLANS,
      {
        npis: [...chosen.doctors.keys()],
        rxnormIds: [...chosen.drugs.keys()],
        planIds,
        year,
      },
      { signal: gridRequest.signal },
    );
    lastGridAnswer = data.comparePlans;
    renderGrid(lastGridAnswer, year);
  } catch (error) {
    showError(region, error);
  }
}

function provenanceLine(provenance) {
  if (!provenance) return el('p', { className: 'source' }, 'Source: no file loaded for this plan.');
  const parts = [
    provenance.issuerName,
    provenance.sourceFile,
    provenance.lastUpdatedOn ? `updated ${provenance.lastUpdatedOn}` : 'no update date given',
    provenance.daysSinceLoad != null ? `loaded ${provenance.daysSinceLoad === 0 ? 'today' : `${provenance.daysSinceLoad} days ago`}` : null,
  ];
  return el('p', { className: 'source' }, `Source: ${parts.filter(Boolean).join(', ')}`);
}

function reportForm(npi, planId, doctorName, planName) {
  const id = `report-${npi}-${planId}`;
  const status = el('p', { className: 'message', role: 'status', 'aria-live': 'polite' });
  const kind = el(
    'select',
    { id: `${id}-kind`, name: 'kind' },
    el('option', { value: 'NOT_IN_NETWORK' }, 'Not in this network'),
    el('option', { value: 'NOT_ACCEPTING' }, 'Not accepting new patients'),
    el('option', { value: 'WRONG_ADDRESS' }, 'Wrong address'),
    el('option', { value: 'WRONG_PHONE' }, 'Wrong phone number'),
    el('option', { value: 'OTHER' }, 'Something else'),
  );
  const details = el('textarea', { id: `${id}-details`, name: 'details', rows: '3', maxlength: '2000' });
  const email = el('input', { id: `${id}-email`, name: 'email', type: 'email', autocomplete: 'email' });
  const form = el(
    'form',
    { className: 'report-form', novalidate: true },
    el('label', { for: `${id}-kind` }, 'What is wrong'),
    kind,
    el('label', { for: `${id}-details` }, 'Details'),
    details,
    el('label', { for: `${id}-email` }, 'Your email ', el('span', { className: 'optional' }, '(optional, seen only by the insurance company)')),
    email,
    el('button', { type: 'submit' }, 'Send report'),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!details.value.trim()) {
      say(status, 'Say in a few words what is wrong, for example "this office closed in May".', 'error');
      details.focus();
      return;
    }
    say(status, 'Sending…');
    try {
      await gql(REPORT_LISTING, { input: { npi, planId, kind: kind.value, details: details.value.trim(), contactEmail: email.value.trim() || null } });
      say(status, 'Thank you: your report was sent to the insurance company.');
    } catch (error) {
      showError(status, error);
    }
  });
  return el(
    'details',
    { className: 'report' },
    el('summary', {}, 'Report a wrong listing', el('span', { className: 'visually-hidden' }, ` for ${doctorName} on ${planName}`)),
    form,
  );
}

function networkCell(answer, doctorName, planName) {
  const statusText = { IN_NETWORK: 'In network', OUT_OF_NETWORK: 'Not in network', UNKNOWN: 'Unknown' }[answer.status];
  const lines = [];
  if (answer.status === 'IN_NETWORK') {
    if (answer.networkTiers.length) lines.push(`${answer.networkTiers.join(', ')} tier`);
    if (answer.acceptingNewPatients === true) lines.push('Accepting new patients');
    else if (answer.acceptingNewPatients === false) lines.push('Not accepting new patients');
    else if (answer.accepting) lines.push(`New patients: ${answer.accepting}`);
  } else if (answer.status === 'UNKNOWN') lines.push(answer.message);
  return el(
    'td',
    { className: `cell status-${answer.status.toLowerCase().replace(/_/g, '-')}`, 'data-npi': answer.npi, 'data-plan-id': answer.planId },
    el('strong', { className: 'answer' }, statusText),
    lines.map((line) => el('span', { className: 'detail' }, line)),
    provenanceLine(answer.provenance),
    reportForm(answer.npi, answer.planId, doctorName, planName),
  );
}

function monthly(answer) {
  const retail = (answer.estimate || []).find((e) => e.pharmacyType === '1-MONTH-IN-RETAIL');
  if (!retail || retail.monthlyLow == null) return null;
  if (retail.monthlyHigh == null || retail.monthlyHigh === retail.monthlyLow) return `About ${dollars(retail.monthlyLow)} a month`;
  return `About ${dollars(retail.monthlyLow)} a month after the deductible, ${dollars(retail.monthlyHigh)} before`;
}

function drugCell(answer) {
  const statusText = { COVERED: 'Covered', NOT_COVERED: 'Not covered', UNKNOWN: 'Unknown' }[answer.status];
  const lines = [];
  if (answer.status === 'COVERED') {
    if (answer.drugTier) lines.push(`Tier: ${answer.drugTier}`);
    const rules = [answer.priorAuthorization && 'prior authorization', answer.stepTherapy && 'step therapy', answer.quantityLimit && 'quantity limit'].filter(
      Boolean,
    );
    lines.push(rules.length ? `Needs ${rules.join(', ')}` : 'No prior authorization, step therapy or quantity limit');
    if (answer.costSummary) lines.push(answer.costSummary);
    const month = monthly(answer);
    if (month) lines.push(month);
  } else if (answer.status === 'UNKNOWN') lines.push(answer.message);
  const generic = answer.genericCovered
    ? el(
        'p',
        { className: 'generic' },
        el('strong', {}, 'Covered instead: '),
        `${answer.genericCovered.drugName} (${answer.genericCovered.drugTier} tier)`,
        answer.genericCovered.costSummary ? `: ${answer.genericCovered.costSummary}` : '',
      )
    : null;
  return el(
    'td',
    { className: `cell status-${answer.status.toLowerCase().replace(/_/g, '-')}`, 'data-rxcui': answer.rxnormId, 'data-plan-id': answer.planId },
    el('strong', { className: 'answer' }, statusText),
    lines.map((line) => el('span', { className: 'detail' }, line)),
    generic,
    provenanceLine(answer.provenance),
  );
}

/** The monthly drug figure of a plan in words: never a bare $0 when a drug is not covered. */
function drugCostLine(p) {
  const notCovered = p.drugsTotal - p.drugsCovered;
  const rest = notCovered ? `, plus the full price of ${notCovered} drug${notCovered === 1 ? '' : 's'} not covered` : '';
  if (p.estimatedMonthlyDrugCost != null) {
    return notCovered
      ? `Covered drugs: ${dollars(p.estimatedMonthlyDrugCost)} a month${rest}`
      : `Estimated drugs: ${dollars(p.estimatedMonthlyDrugCost)} a month`;
  }
  return `Copays: ${dollars(p.monthlyCopayTotal)} a month, plus coinsurance${rest}`;
}

function renderGrid(answer, year) {
  const region = $('grid-message');
  const plans = answer.plans;
  const missing = plans.filter((p) => !p.plan).map((p) => p.planId);
  const shown = plans.filter((p) => p.plan);
  const planName = (p) => p.plan.marketingName;
  const head = el(
    'thead',
    {},
    el(
      'tr',
      {},
      el('td', {}),
      shown.map((p) =>
        el(
          'th',
          { scope: 'col', 'data-plan-id': p.planId },
          planName(p),
          el('span', { className: 'detail' }, `${p.plan.metalLevel || ''} · ${p.plan.issuer.name}`),
        ),
      ),
    ),
  );
  const summary = el(
    'tr',
    { className: 'summary' },
    el('th', { scope: 'row' }, 'Summary'),
    shown.map((p) =>
      el(
        'td',
        { 'data-plan-id': p.planId },
        p.doctorsTotal ? el('span', { className: 'detail' }, `${p.doctorsInNetwork} of ${p.doctorsTotal} doctors in network`) : null,
        p.drugsTotal ? el('span', { className: 'detail' }, `${p.drugsCovered} of ${p.drugsTotal} drugs covered`) : null,
        p.drugsTotal ? el('span', { className: 'detail' }, el('strong', {}, drugCostLine(p))) : null,
      ),
    ),
  );
  const doctorRows = [...chosen.doctors.values()].map((doctor) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, doctor.name, el('span', { className: 'detail' }, doctor.detail || `NPI ${doctor.npi}`)),
      shown.map((p) => {
        const cell = answer.doctors.find((d) => d.npi === doctor.npi && d.planId === p.planId);
        return cell ? networkCell(cell, doctor.name, planName(p)) : el('td', {}, '—');
      }),
    ),
  );
  const drugRows = [...chosen.drugs.values()].map((drug) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, drug.name),
      shown.map((p) => {
        const cell = answer.drugs.find((d) => d.rxnormId === drug.rxnormId && d.planId === p.planId);
        return cell ? drugCell(cell) : el('td', {}, '—');
      }),
    ),
  );
  const table = shown.length
    ? el(
        'div',
        { className: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Comparison table, scrolls sideways' },
        el(
          'table',
          { className: 'data grid', id: 'grid-table' },
          el('caption', {}, `Your doctors and drugs on ${shown.length} plan${shown.length === 1 ? '' : 's'}${year ? ` for ${year}` : ''}`),
          head,
          el(
            'tbody',
            {},
            summary,
            doctorRows.length
              ? el('tr', { className: 'group' }, el('th', { scope: 'rowgroup', colspan: String(shown.length + 1) }, 'Doctors and hospitals'))
              : null,
            doctorRows,
            drugRows.length ? el('tr', { className: 'group' }, el('th', { scope: 'rowgroup', colspan: String(shown.length + 1) }, 'Drugs')) : null,
            drugRows,
          ),
        ),
      )
    : null;
  $('grid').replaceChildren(...[table].filter(Boolean));
  const notFound = missing.map((id) => `No insurance company has published a plan with the id ${id}: check the id, or find plans in step 3.`);
  say(region, notFound.length ? notFound.join(' ') : `Compared ${shown.length} plan${shown.length === 1 ? '' : 's'}.`, notFound.length ? 'error' : 'info');
  if (notFound.length) {
    // Unknown ids stay in the link (what the user asked for) and can be removed here.
    $('grid').append(
      el(
        'ul',
        { className: 'chosen' },
        missing.map((id) =>
          el(
            'li',
            {},
            `Plan ${id} `,
            el(
              'button',
              {
                type: 'button',
                className: 'link-button',
                onclick: () => {
                  chosen.plans.delete(id);
                  selectionChanged();
                },
              },
              `Remove plan ${id}`,
            ),
          ),
        ),
      ),
    );
  }
}

// ---- Start: restore the selection from the link ----

async function restore() {
  const url = readUrl();
  $('doctor-name').value = url.name;
  $('doctor-specialty').value = url.specialty;
  $('doctor-zip').value = url.zip;
  $('plan-zip').value = url.zip;
  if (url.radius) $('doctor-radius').value = url.radius;
  $('drug-name').value = url.drug;
  $('plan-state').value = url.state;
  if (url.year) $('plan-year').value = url.year;
  for (const box of document.querySelectorAll('input[name="metal"]')) box.checked = url.metal.includes(box.value);
  if (url.issuer) {
    issuersSeen.set(url.issuer, `Issuer ${url.issuer}`);
    renderIssuerOptions();
    $('plan-issuer').value = url.issuer;
  }
  for (const planId of url.planIds) chosen.plans.set(planId, { planId, name: planId });
  // Names for the chosen ids, in one request (aliases), before anything is drawn.
  const ids = { npis: url.npis.filter((n) => /^[0-9]{10}$/.test(n)).slice(0, 20), rx: url.rxnormIds.filter((r) => /^[0-9]{1,10}$/.test(r)).slice(0, 20) };
  if (ids.npis.length || ids.rx.length) {
    const fields = [
      ...ids.npis.map((npi, i) => `d${i}: provider(npi: "${npi}") { npi displayName specialties type listings { facilityTypes } }`),
      ...ids.rx.map((rx, i) => `r${i}: drug(rxnormId: "${rx}") { rxnormId drugName }`),
    ];
    try {
      const data = await gql(`query ChosenNames { ${fields.join(' ')} }`);
      ids.npis.forEach((npi, i) => {
        const p = data[`d${i}`];
        chosen.doctors.set(npi, {
          npi,
          name: p ? p.displayName : `NPI ${npi}`,
          detail: p
            ? (p.type === 'FACILITY' ? [...new Set(p.listings.flatMap((l) => l.facilityTypes))] : p.specialties).join(', ')
            : 'not in any published directory',
        });
      });
      ids.rx.forEach((rx, i) => {
        const d = data[`r${i}`];
        chosen.drugs.set(rx, { rxnormId: rx, name: d ? d.drugName : `RxNorm ${rx}` });
      });
    } catch (error) {
      ids.npis.forEach((npi) => chosen.doctors.set(npi, { npi, name: `NPI ${npi}` }));
      ids.rx.forEach((rx) => chosen.drugs.set(rx, { rxnormId: rx, name: `RxNorm ${rx}` }));
      showError($('grid-message'), error);
    }
  }
  renderChosen();
  const work = [];
  if (url.name || url.specialty) work.push(searchDoctors());
  if (url.drug) work.push(searchDrugs());
  if (url.state || (url.zip && (url.planIds.length || url.npis.length))) work.push(findPlans());
  await Promise.all(work);
  if (chosen.plans.size) await loadGrid();
}

$('doctor-form').addEventListener('submit', searchDoctors);
$('drug-form').addEventListener('submit', searchDrugs);
$('drug-name').addEventListener('input', () => {
  clearTimeout(drugTimer);
  drugTimer = setTimeout(searchDrugs, 250);
});
$('plan-form').addEventListener('submit', findPlans);
$('plan-issuer').addEventListener('change', () => findPlans());
restore();
