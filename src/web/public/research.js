/* global document, history, location, window -- runs in the browser */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { ApiError, el, gql, say } from './api.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
// Colour-blind-safe (Okabe-Ito) series colours, each readable against white.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const percent = (share) => (share == null ? '' : `${(share * 100).toFixed(1)}%`);
const $ = (id) => document.getElementById(id);

const yearNow = new Date().getFullYear();
const stateField = {
  name: 'state',
  label: 'State',
  hint: '2 letters, e.g. OH',
  required: true,
  short: true,
  pattern: /^[A-Za-z]{2}$/,
  problem: 'a state is 2 letters, e.g. OH',
};
const yearField = { name: 'year', label: 'Plan year', type: 'number', value: String(yearNow), short: true };
const planField = (name, label) => ({
  name,
  label,
  hint: '14-character plan id, e.g. 10001OH0020001',
  required: true,
  pattern: /^[0-9]{5}[A-Za-z]{2}[0-9]{7}$/,
  problem: 'a plan id has 14 characters, e.g. 10001OH0020001',
});
const upper = (value) => (value ? value.toUpperCase() : null);
const int = (value) => (value ? Number(value) : null);

/**
 * Each report: a form, one GraphQL query, a table (and so a CSV), and a chart where a picture says it faster.
 * `rows` turns the answer into table rows; `chart` into Chart.js bar data.
 */
const REPORTS = [
  {
    id: 'network-breadth',
    title: 'Network breadth by plan',
    intro:
      'Distinct in-network providers (of a specialty, if given) and hospitals in each plan of a state, optionally by state, 3-digit ZIP area or specialty.',
    fields: [
      stateField,
      yearField,
      { name: 'specialty', label: 'Specialty', hint: 'optional, e.g. Psychiatry' },
      {
        name: 'groupBy',
        label: 'Break down by',
        type: 'select',
        options: [
          ['', 'Nothing'],
          ['STATE', 'State'],
          ['ZIP3', '3-digit ZIP area'],
          ['SPECIALTY', 'Specialty'],
        ],
      },
    ],
    query: `query NetworkBreadth($state: String, $year: Int, $specialty: String, $groupBy: BreadthGroupBy) {
  networkBreadth(state: $state, year: $year, specialty: $specialty, groupBy: $groupBy) {
    planId networkReported providers hospitals
    plan { marketingName metalLevel issuer { name } }
    groups { key providers hospitals }
  }
}`,
    variables: (v) => ({ state: upper(v.state), year: int(v.year), specialty: v.specialty || null, groupBy: v.groupBy || null }),
    columns: (v) => [
      { key: 'planId', label: 'Plan id' },
      { key: 'plan', label: 'Plan' },
      { key: 'issuer', label: 'Issuer' },
      { key: 'metal', label: 'Metal level' },
      ...(v.groupBy ? [{ key: 'group', label: { STATE: 'State', ZIP3: '3-digit ZIP', SPECIALTY: 'Specialty' }[v.groupBy] }] : []),
      { key: 'providers', label: 'Providers', num: true },
      { key: 'hospitals', label: 'Hospitals', num: true },
      { key: 'reported', label: 'Directory published' },
    ],
    rows: (data, v) =>
      data.networkBreadth.flatMap((b) => {
        const base = {
          planId: b.planId,
          plan: b.plan ? b.plan.marketingName : '(not published)',
          issuer: b.plan ? b.plan.issuer.name : '',
          metal: b.plan ? b.plan.metalLevel || '' : '',
          reported: b.networkReported ? 'yes' : 'no',
        };
        if (!v.groupBy) return [{ ...base, providers: b.providers, hospitals: b.hospitals }];
        return b.groups.map((g) => ({ ...base, group: g.key, providers: g.providers, hospitals: g.hospitals }));
      }),
    chart: (data) => ({
      labels: data.networkBreadth.map((b) => (b.plan ? b.plan.marketingName : b.planId)),
      datasets: [
        { label: 'Providers', data: data.networkBreadth.map((b) => b.providers) },
        { label: 'Hospitals', data: data.networkBreadth.map((b) => b.hospitals) },
      ],
      horizontal: true,
    }),
    empty: 'No published plan in this state and year.',
  },
  {
    id: 'plan-ranking',
    title: 'Plans ranked by network size',
    intro: 'Plans of a state ranked by in-network providers of a specialty: fewest first shows the narrowest networks.',
    fields: [
      stateField,
      yearField,
      { name: 'specialty', label: 'Specialty', hint: 'optional, e.g. Psychiatry' },
      {
        name: 'order',
        label: 'Order',
        type: 'select',
        options: [
          ['ASC', 'Fewest first'],
          ['DESC', 'Most first'],
        ],
      },
    ],
    query: `query RankPlans($state: String!, $year: Int, $specialty: String, $order: SortDirection) {
  rankPlansByBreadth(state: $state, year: $year, specialty: $specialty, order: $order, first: 50) {
    rank planId providers plan { marketingName metalLevel issuer { name } }
  }
}`,
    variables: (v) => ({ state: upper(v.state), year: int(v.year), specialty: v.specialty || null, order: v.order || 'ASC' }),
    columns: () => [
      { key: 'rank', label: 'Rank', num: true },
      { key: 'planId', label: 'Plan id' },
      { key: 'plan', label: 'Plan' },
      { key: 'issuer', label: 'Issuer' },
      { key: 'providers', label: 'Providers', num: true },
    ],
    rows: (data) =>
      data.rankPlansByBreadth.map((r) => ({ rank: r.rank, planId: r.planId, plan: r.plan.marketingName, issuer: r.plan.issuer.name, providers: r.providers })),
    chart: (data) => ({
      labels: data.rankPlansByBreadth.map((r) => `${r.rank}. ${r.plan.marketingName}`),
      datasets: [{ label: 'Providers', data: data.rankPlansByBreadth.map((r) => r.providers) }],
      horizontal: true,
    }),
    empty: 'No published plan in this state and year.',
  },
  {
    id: 'formulary-comparison',
    title: 'Formulary comparison between two plans',
    intro: 'Drugs one plan covers and the other does not, and drugs on different tiers.',
    fields: [planField('planA', 'Plan A'), planField('planB', 'Plan B')],
    query: `query CompareFormularies($planA: String!, $planB: String!) {
  compareFormularies(planA: $planA, planB: $planB, first: 100) {
    onlyInA onlyInB inBoth tierDifferences
    planA { marketingName } planB { marketingName }
    differences { edges { node { rxnormId drugName difference planATier planBTier planACost planBCost planAPriorAuthorization planBPriorAuthorization } } }
  }
}`,
    variables: (v) => ({ planA: upper(v.planA), planB: upper(v.planB) }),
    summary: (data) => {
      const c = data.compareFormularies;
      return `${c.planA.marketingName} (A) and ${c.planB.marketingName} (B): ${c.inBoth} drugs in both, ${c.onlyInA} only in A, ${c.onlyInB} only in B, ${c.tierDifferences} on different tiers. The table lists the first 100 differences.`;
    },
    columns: () => [
      { key: 'rxnormId', label: 'RxNorm id' },
      { key: 'drugName', label: 'Drug' },
      { key: 'difference', label: 'Difference' },
      { key: 'planATier', label: 'Tier in A' },
      { key: 'planBTier', label: 'Tier in B' },
      { key: 'planACost', label: 'Cost in A' },
      { key: 'planBCost', label: 'Cost in B' },
    ],
    rows: (data) =>
      data.compareFormularies.differences.edges.map(({ node }) => ({
        ...node,
        difference: { ONLY_IN_A: 'Only in A', ONLY_IN_B: 'Only in B', TIER_DIFFERS: 'Tier differs' }[node.difference],
      })),
    chart: (data) => {
      const c = data.compareFormularies;
      return {
        labels: ['In both', 'Only in A', 'Only in B', 'Tier differs'],
        datasets: [{ label: 'Drugs', data: [c.inBoth, c.onlyInA, c.onlyInB, c.tierDifferences] }],
      };
    },
    empty: 'The two formularies list the same drugs on the same tiers.',
  },
  {
    id: 'prior-authorization',
    title: 'Prior authorization by carrier',
    intro: 'Per insurance company in a state: the share of formulary entries (drug × plan) that need prior authorization, step therapy or a quantity limit.',
    fields: [stateField],
    query: `query PriorAuthorizationRates($state: String!) {
  priorAuthorizationRates(state: $state) {
    issuerId issuerName plans formularyEntries priorAuthorizationEntries priorAuthorizationRate stepTherapyRate quantityLimitRate
  }
}`,
    variables: (v) => ({ state: upper(v.state) }),
    columns: () => [
      { key: 'issuerId', label: 'Issuer id' },
      { key: 'issuerName', label: 'Issuer' },
      { key: 'plans', label: 'Plans', num: true },
      { key: 'formularyEntries', label: 'Formulary entries', num: true },
      { key: 'priorAuthorizationEntries', label: 'With prior authorization', num: true },
      { key: 'priorAuthorizationRate', label: 'Prior authorization', num: true, format: percent },
      { key: 'stepTherapyRate', label: 'Step therapy', num: true, format: percent },
      { key: 'quantityLimitRate', label: 'Quantity limit', num: true, format: percent },
    ],
    rows: (data) => data.priorAuthorizationRates,
    chart: (data) => ({
      labels: data.priorAuthorizationRates.map((r) => r.issuerName),
      datasets: [
        ['Prior authorization', 'priorAuthorizationRate'],
        ['Step therapy', 'stepTherapyRate'],
        ['Quantity limit', 'quantityLimitRate'],
      ].map(([label, key]) => ({ label, data: data.priorAuthorizationRates.map((r) => Math.round(r[key] * 1000) / 10) })),
      unit: '%',
    }),
    empty: 'No carrier in this state has a published formulary.',
  },
  {
    id: 'network-changes',
    title: 'Doctors added and dropped',
    intro: "Providers added to and dropped from a plan's network between the carrier's previous load (or the one published at a date) and the current one.",
    fields: [
      planField('planId', 'Plan'),
      { name: 'since', label: 'Since', type: 'date', hint: 'optional: compare with the load published on or before this date', short: true },
    ],
    query: `query NetworkChanges($planId: String!, $since: DateTime) {
  networkChanges(planId: $planId, since: $since, first: 100) {
    added dropped note
    fromVersion { versionId publishedAt } toVersion { versionId publishedAt }
    changes { edges { node { change npi displayName networkTiers } } }
  }
}`,
    variables: (v) => ({ planId: upper(v.planId), since: v.since ? `${v.since}T23:59:59Z` : null }),
    summary: (data) => {
      const c = data.networkChanges;
      return `From load ${c.fromVersion.versionId} (${c.fromVersion.publishedAt.slice(0, 10)}) to load ${c.toVersion.versionId} (${c.toVersion.publishedAt.slice(0, 10)}): ${c.added} added, ${c.dropped} dropped.${c.note ? ` ${c.note}` : ''} The table lists the first 100.`;
    },
    columns: () => [
      { key: 'change', label: 'Change' },
      { key: 'npi', label: 'NPI' },
      { key: 'displayName', label: 'Name' },
      { key: 'networkTiers', label: 'Network tiers' },
    ],
    rows: (data) =>
      data.networkChanges.changes.edges.map(({ node }) => ({
        ...node,
        change: node.change === 'ADDED' ? 'Added' : 'Dropped',
        networkTiers: node.networkTiers.join('; '),
      })),
    chart: (data) => ({ labels: ['Added', 'Dropped'], datasets: [{ label: 'Providers', data: [data.networkChanges.added, data.networkChanges.dropped] }] }),
    empty: 'No provider was added or dropped between these loads.',
  },
  {
    id: 'formulary-changes',
    title: 'Drugs added, removed and moved between tiers',
    intro: "Changes to a plan's formulary between the carrier's previous load (or the one published at a date) and the current one.",
    fields: [planField('planId', 'Plan'), { name: 'since', label: 'Since', type: 'date', hint: 'optional', short: true }],
    query: `query FormularyChanges($planId: String!, $since: DateTime) {
  formularyChanges(planId: $planId, since: $since, first: 100) {
    added removed tierChanged restrictionsChanged costSharingChanged note
    fromVersion { versionId publishedAt } toVersion { versionId publishedAt }
    changes { edges { node { rxnormId drugName changes drugTierBefore drugTierAfter costBefore costAfter } } }
  }
}`,
    variables: (v) => ({ planId: upper(v.planId), since: v.since ? `${v.since}T23:59:59Z` : null }),
    summary: (data) => {
      const c = data.formularyChanges;
      return `From load ${c.fromVersion.versionId} to load ${c.toVersion.versionId}: ${c.added} added, ${c.removed} removed, ${c.tierChanged} changed tier.${c.note ? ` ${c.note}` : ''}`;
    },
    columns: () => [
      { key: 'rxnormId', label: 'RxNorm id' },
      { key: 'drugName', label: 'Drug' },
      { key: 'changes', label: 'Changes' },
      { key: 'drugTierBefore', label: 'Tier before' },
      { key: 'drugTierAfter', label: 'Tier after' },
      { key: 'costBefore', label: 'Cost before' },
      { key: 'costAfter', label: 'Cost after' },
    ],
    rows: (data) => data.formularyChanges.changes.edges.map(({ node }) => ({ ...node, changes: node.changes.join('; ') })),
    chart: (data) => {
      const c = data.formularyChanges;
      return {
        labels: ['Added', 'Removed', 'Tier changed', 'Restrictions changed', 'Cost sharing changed'],
        datasets: [{ label: 'Drugs', data: [c.added, c.removed, c.tierChanged, c.restrictionsChanged, c.costSharingChanged] }],
      };
    },
    empty: 'No drug changed between these loads.',
  },
  {
    id: 'data-quality',
    title: 'Data quality per carrier',
    intro:
      'For each insurance company selling plans in a state: how old its directory data is, how many listings lack a phone or an accepting-new-patients status, and how much was rejected at load.',
    fields: [stateField, yearField],
    query: `query DataQuality($state: String!, $year: Int) {
  plans(state: $state, year: $year, first: 100) {
    edges { node { issuer { issuerId name dataQuality {
      listings listingsWithoutPhone shareWithoutPhone shareWithoutAcceptingStatus rejectedShare recordsRejected medianAgeDays oldestAgeDays daysSinceLoad
    } } } }
  }
}`,
    variables: (v) => ({ state: upper(v.state), year: int(v.year) }),
    columns: () => [
      { key: 'issuerId', label: 'Issuer id' },
      { key: 'name', label: 'Issuer' },
      { key: 'listings', label: 'Listings', num: true },
      { key: 'shareWithoutPhone', label: 'Without phone', num: true, format: percent },
      { key: 'shareWithoutAcceptingStatus', label: 'Without accepting status', num: true, format: percent },
      { key: 'rejectedShare', label: 'Rejected at load', num: true, format: percent },
      { key: 'medianAgeDays', label: 'Median age (days)', num: true },
      { key: 'oldestAgeDays', label: 'Oldest (days)', num: true },
      { key: 'daysSinceLoad', label: 'Days since load', num: true },
    ],
    rows: (data) => {
      const byIssuer = new Map();
      for (const { node } of data.plans.edges) byIssuer.set(node.issuer.issuerId, node.issuer);
      return [...byIssuer.values()].map((issuer) => ({ issuerId: issuer.issuerId, name: issuer.name, ...(issuer.dataQuality || {}) }));
    },
    chart: (data, rows) => ({
      labels: rows.map((r) => r.name),
      datasets: [
        ['Without phone', 'shareWithoutPhone'],
        ['Without accepting status', 'shareWithoutAcceptingStatus'],
        ['Rejected at load', 'rejectedShare'],
      ].map(([label, key]) => ({ label, data: rows.map((r) => (r[key] == null ? null : Math.round(r[key] * 1000) / 10)) })),
      unit: '%',
    }),
    empty: 'No carrier has published plans in this state and year.',
  },
  {
    id: 'listing-reports',
    title: 'Wrong-listing reports per carrier',
    intro: 'How many wrong directory listings the public reported, per insurance company, by kind and status (no report content or personal data).',
    fields: [
      { name: 'issuerId', label: 'Issuer id', hint: 'optional, 5 digits', short: true, pattern: /^[0-9]{5}$/, problem: 'an issuer id has 5 digits' },
      {
        name: 'planId',
        label: 'Plan id',
        hint: 'optional',
        pattern: /^[0-9]{5}[A-Za-z]{2}[0-9]{7}$/,
        problem: 'a plan id has 14 characters, e.g. 10001OH0020001',
      },
    ],
    query: `query ListingReportCounts($issuerId: String, $planId: String) {
  listingReportCounts(issuerId: $issuerId, planId: $planId) { issuerId planId kind status count }
}`,
    variables: (v) => ({ issuerId: v.issuerId || null, planId: upper(v.planId) }),
    columns: () => [
      { key: 'issuerId', label: 'Issuer id' },
      { key: 'planId', label: 'Plan id' },
      { key: 'kind', label: 'Kind' },
      { key: 'status', label: 'Status' },
      { key: 'count', label: 'Reports', num: true },
    ],
    rows: (data) => data.listingReportCounts.map((r) => ({ ...r, planId: r.planId || '' })),
    chart: (data) => {
      const issuers = [...new Set(data.listingReportCounts.map((r) => r.issuerId))];
      const kinds = [...new Set(data.listingReportCounts.map((r) => r.kind))];
      return {
        labels: issuers,
        datasets: kinds.map((kind) => ({
          label: kind,
          data: issuers.map((issuer) => data.listingReportCounts.filter((r) => r.issuerId === issuer && r.kind === kind).reduce((sum, r) => sum + r.count, 0)),
        })),
        stacked: true,
      };
    },
    empty: 'No wrong listing has been reported for this selection.',
  },
];

// ---- Shareable URLs: ?report=<id>&<field>=<value> reopens and reruns a report ----

function writeUrl(report, values) {
  const params = new URLSearchParams({ report: report.id });
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

function csvCell(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(columns, rows) {
  return (
    [columns.map((c) => csvCell(c.label)), ...rows.map((row) => columns.map((c) => csvCell(row[c.key])))].map((line) => line.join(',')).join('\r\n') + '\r\n'
  );
}

function renderTable(report, columns, rows) {
  return el(
    'div',
    { className: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `${report.title}: table` },
    el(
      'table',
      { className: 'data', 'data-report-table': report.id },
      el('caption', {}, `${report.title}: ${rows.length} row${rows.length === 1 ? '' : 's'}`),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          columns.map((c) => el('th', { scope: 'col', className: c.num ? 'num' : null }, c.label)),
        ),
      ),
      el(
        'tbody',
        {},
        rows.map((row) =>
          el(
            'tr',
            {},
            columns.map((c, i) => {
              const value = row[c.key];
              const text = value === null || value === undefined ? '' : c.format ? c.format(value) : String(value);
              return i === 0 ? el('th', { scope: 'row', className: c.num ? 'num' : null }, text) : el('td', { className: c.num ? 'num' : null }, text);
            }),
          ),
        ),
      ),
    ),
  );
}

/** Category labels cut short on a narrow screen (the table beneath has them whole); numbers as they are. */
function shortLabel(isCategoryAxis) {
  return function label(value) {
    if (!isCategoryAxis) return value;
    const text = String(this.getLabelForValue(value));
    const room = Math.max(12, Math.floor(window.innerWidth / 22));
    return text.length > room ? `${text.slice(0, room - 1)}…` : text;
  };
}

function renderChart(report, spec, holder) {
  const canvas = el('canvas', { role: 'img', 'aria-label': `Bar chart: ${report.title}. The table below gives the same numbers.` });
  const box = el('div', { className: 'chart-box' }, canvas);
  // One readable bar per label: a long list of plans gets a taller chart rather than squeezed bars.
  if (spec.horizontal && spec.labels.length > 12) box.style.height = `${Math.min(spec.labels.length * 1.6 + 3, 160)}rem`;
  holder.replaceChildren(box);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((d, i) => ({ ...d, backgroundColor: COLOURS[i % COLOURS.length], borderColor: COLOURS[i % COLOURS.length] })),
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: spec.datasets.length > 1 },
        tooltip: { callbacks: spec.unit ? { label: (ctx) => `${ctx.dataset.label}: ${ctx.formattedValue}${spec.unit}` } : {} },
      },
      scales: {
        x: { stacked: !!spec.stacked, beginAtZero: true, ticks: { color: '#1b1b1f', callback: shortLabel(!spec.horizontal) } },
        y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { color: '#1b1b1f', callback: shortLabel(spec.horizontal) } },
      },
    },
  });
}

function renderReport(report, initial) {
  const charts = [];
  const message = el('p', { className: 'message', role: 'status', 'aria-live': 'polite' });
  const output = el('div', { className: 'report-output' });
  const inputs = {};
  const fieldNodes = report.fields.map((field) => {
    const id = `${report.id}-${field.name}`;
    const hintId = field.hint ? `${id}-hint` : null;
    let input;
    if (field.type === 'select') {
      input = el(
        'select',
        { id, name: field.name },
        field.options.map(([value, label]) => el('option', { value }, label)),
      );
    } else {
      input = el('input', {
        id,
        name: field.name,
        type: field.type || 'text',
        autocomplete: 'off',
        'aria-describedby': hintId,
        min: field.type === 'number' ? '2014' : null,
        max: field.type === 'number' ? '2100' : null,
      });
    }
    input.value = initial[field.name] ?? field.value ?? (field.type === 'select' ? field.options[0][0] : '');
    inputs[field.name] = input;
    return el(
      'div',
      { className: `field${field.short ? ' field-short' : ''}` },
      el('label', { for: id }, field.label, field.required ? null : el('span', { className: 'optional' }, ' (optional)')),
      input,
      field.hint ? el('p', { id: hintId, className: 'hint' }, field.hint) : null,
    );
  });
  const form = el(
    'form',
    { className: 'search-form', novalidate: true },
    fieldNodes,
    el('div', { className: 'actions' }, el('button', { type: 'submit' }, 'Show')),
  );

  async function run() {
    const values = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value.trim()]));
    writeUrl(report, values);
    for (const field of report.fields) {
      const value = values[field.name];
      if (field.required && !value) {
        say(message, `Fill in ${field.label.toLowerCase()}${field.hint ? ` (${field.hint})` : ''}.`, 'error');
        inputs[field.name].focus();
        return;
      }
      if (value && field.pattern && !field.pattern.test(value)) {
        say(message, `"${value}" is not right for ${field.label.toLowerCase()}: ${field.problem}.`, 'error');
        inputs[field.name].focus();
        return;
      }
    }
    const variables = report.variables(values);
    say(message, 'Loading…');
    try {
      const data = await gql(report.query, variables);
      const columns = report.columns(values);
      const rows = report.rows(data, values);
      while (charts.length) charts.pop().destroy();
      if (!rows.length && !report.summary) {
        output.replaceChildren();
        say(message, report.empty);
        return;
      }
      const chartHolder = el('div', { className: 'chart' });
      const csv = new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' });
      const download = el(
        'a',
        { href: URL.createObjectURL(csv), download: `${report.id}.csv`, className: 'download' },
        `Download the table as CSV (${rows.length} row${rows.length === 1 ? '' : 's'})`,
      );
      output.replaceChildren(
        chartHolder,
        rows.length ? renderTable(report, columns, rows) : el('p', {}, report.empty),
        el('div', { className: 'report-tools' }, download),
        el(
          'details',
          { className: 'query-details' },
          el('summary', {}, 'The GraphQL query behind this report'),
          el('p', {}, 'POST it to ', el('a', { href: '/graphql' }, '/graphql'), ' with these variables:'),
          el('pre', { className: 'query' }, report.query),
          el('pre', { className: 'query' }, JSON.stringify(variables, null, 2)),
        ),
      );
      charts.push(renderChart(report, report.chart(data, rows), chartHolder));
      say(message, report.summary ? report.summary(data) : `${rows.length} row${rows.length === 1 ? '' : 's'}.`);
    } catch (error) {
      say(message, error instanceof ApiError ? error.message : 'Something went wrong on this page. Please reload and try again.', 'error');
      if (!(error instanceof ApiError)) console.error(error);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });
  const panel = el(
    'details',
    { className: 'report-panel', id: `report-${report.id}` },
    el('summary', {}, report.title),
    el('div', { className: 'report-body' }, el('p', {}, report.intro), form, message, output),
  );
  // Opening a report whose required fields are filled shows it at once.
  let shown = false;
  panel.addEventListener('toggle', () => {
    if (!panel.open || shown) return;
    shown = true;
    if (report.fields.every((f) => !f.required || inputs[f.name].value.trim())) run();
    else inputs[report.fields[0].name].focus();
  });
  return panel;
}

const params = new URLSearchParams(location.search);
const opened = params.get('report');
$('reports').replaceChildren(
  ...REPORTS.map((report) => {
    const initial = report.id === opened ? Object.fromEntries(params) : {};
    const panel = renderReport(report, initial);
    if (report.id === opened) panel.open = true;
    return panel;
  }),
);
