// Intl formatters are costly to build: toLocaleString(locale, options) builds one per call.
const WHOLE_DOLLARS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "$10", "$10.50", "$1,250": how shoppers read dollar amounts. */
export function formatDollars(amount: number): string {
  const rounded = Math.round(amount * 100) / 100;
  return '$' + (Number.isInteger(rounded) ? WHOLE_DOLLARS : CENTS).format(rounded);
}

export function formatPercent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
