/* global document, Node -- runs in the browser */
// GraphQL over HTTP, as plan-shopping sites call it, with failures turned into sentences a shopper can act on.

export class ApiError extends Error {
  /** kind: 'down' | 'rate-limited' | 'input' | 'server' */
  constructor(message, kind, field) {
    super(message);
    this.kind = kind;
    this.field = field;
  }
}

const KEPT = 'What you typed is kept.';

function sentence(text) {
  const trimmed = String(text).trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** POST a query to `endpoint` (the API's /graphql by default) and return its data, or throw an ApiError. */
export async function gql(query, variables = {}, { endpoint = '/graphql', signal } = {}) {
  let response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    throw new ApiError(`The coverage service could not be reached. Check your connection and try again. ${KEPT}`, 'down');
  }
  if (response.status === 429) {
    const wait = Number(response.headers.get('retry-after'));
    const when = wait > 0 ? `in ${wait} second${wait === 1 ? '' : 's'}` : 'in a minute';
    throw new ApiError(`Too many requests from your connection just now. Please try again ${when}. ${KEPT}`, 'rate-limited');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const error = body && Array.isArray(body.errors) ? body.errors[0] : null;
  if (error) {
    const code = error.extensions && error.extensions.code;
    if (response.status >= 500 || code === 'INTERNAL_SERVER_ERROR' || code === 'SERVICE_UNAVAILABLE') {
      throw new ApiError(`The coverage service had a problem answering. Please try again in a moment. ${KEPT}`, 'server');
    }
    throw new ApiError(sentence(error.message), 'input', error.extensions && error.extensions.field);
  }
  if (!response.ok || !body || !body.data) {
    throw new ApiError(`The coverage service answered with an error (HTTP ${response.status}). Please try again in a moment. ${KEPT}`, 'server');
  }
  return body.data;
}

/** An element with attributes (on* keys become listeners) and children (strings become text, never HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'className') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function dollars(amount) {
  if (amount === null || amount === undefined) return null;
  return amount.toLocaleString('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: Number.isInteger(amount) ? 0 : 2 });
}

/** Shows a message in a status region: `kind` 'error' for problems (announced), 'info' otherwise. */
export function say(region, message, kind = 'info') {
  region.textContent = message || '';
  region.classList.toggle('error', kind === 'error' && !!message);
}
