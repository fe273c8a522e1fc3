// The pages' one way to call the API: JSON in and out, the antiforgery token of the signed-in
// (or anonymous) session on every request, the version read (If-Match) on writes that need it,
// and one shape of answer, { ok, status, json, etag, retryAfter }, whatever the transport. getJson is the
// short form for reads: the JSON, or an Error whose message is the problem's text.

import { translator } from './i18n.js';

// The antiforgery token the server handed out with the last user read (api/auth/me or sign-in):
// it belongs to the session, so it changes when the user signs in or out.
let csrfToken = null;

/** Keeps the antiforgery token of a user object from the API (api/auth/me, sign-in) and returns the user. */
export function rememberUser(user) {
  csrfToken = (user && user.csrf_token) || null;
  return user;
}

/** The current user from api/auth/me ({ signed_in: false } when it cannot be read); its token is kept for later sends. */
export async function currentUser() {
  const result = await send('GET', 'api/auth/me');
  return rememberUser(result.ok && result.json ? result.json : { signed_in: false });
}

function requestHeaders(body, etag, key) {
  const headers = { Accept: 'application/json, application/geo+json' };
  if (csrfToken) headers['X-CSRF-TOKEN'] = csrfToken;
  if (body instanceof Blob) headers['Content-Type'] = 'application/octet-stream';
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (etag) headers['If-Match'] = etag;
  if (key) headers['Idempotency-Key'] = key; // a queued change sent again is answered, not applied twice
  return headers;
}

const requestBody = (body) => (body === undefined || body instanceof Blob ? body : JSON.stringify(body));

function parsed(text) {
  try { return JSON.parse(text); } catch { return null; } // 204, or not JSON
}

// A request that never reached the server answers like one that did, so a page shows a message instead of stopping.
const networkError = () => ({ ok: false, status: 0, json: { title: 'network error' }, etag: null, retryAfter: null });

/** Retry-After in whole seconds (the server sends seconds, never a date), or null. */
function seconds(header) {
  return header && /^\d+$/.test(header) ? Number(header) : null;
}

/**
 * Sends a request with a JSON body (or none); options.etag becomes If-Match, options.key Idempotency-Key,
 * options.signal can abort it.
 * Resolves { ok, status, json (null when the body is empty or not JSON), etag (the answer's ETag or null),
 * retryAfter (the seconds a 429 or 503 asks to wait, or null) }.
 */
export async function send(method, url, body, options = {}) {
  let response;
  try {
    response = await fetch(url, { method, headers: requestHeaders(body, options.etag, options.key), body: requestBody(body), signal: options.signal });
  } catch {
    return networkError();
  }
  return {
    ok: response.ok, status: response.status, json: parsed(await response.text()), etag: response.headers.get('ETag'),
    retryAfter: seconds(response.headers.get('Retry-After')),
  };
}

/**
 * Sends a file as the request body with the same headers and answer as send(), reporting upload
 * progress in whole percent: fetch cannot report upload progress, XMLHttpRequest can.
 */
export function sendFile(method, url, file, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(requestHeaders(file))) xhr.setRequestHeader(name, value);
    if (onProgress) xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total)); };
    xhr.onload = () => resolve({
      ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, json: parsed(xhr.responseText), etag: xhr.getResponseHeader('ETag'),
      retryAfter: seconds(xhr.getResponseHeader('Retry-After')),
    });
    xhr.onerror = () => resolve(networkError());
    xhr.send(file);
  });
}

/**
 * A failed answer as one line: a rate limit's wait in the page's language (the server writes its
 * problems in English), else the problem's title and detail, else its field errors, else the status.
 */
export function problemText(result) {
  if (result.status === 429) {
    return translator(globalThis.document?.documentElement.lang).t('api.too_many_requests', { seconds: result.retryAfter ?? 1 });
  }
  const problem = result.json || {};
  const summary = [problem.title, problem.detail].filter(Boolean).join(' ');
  if (summary) return summary;
  const fieldErrors = Object.values(problem.errors || {}).flat().filter((text) => typeof text === 'string');
  return fieldErrors.length ? fieldErrors.join(' ') : String(result.status);
}

/** A failed answer as "status problem text" ("network error" when it never reached the server). */
export function failureText(result) {
  const text = problemText(result);
  return result.status && text !== String(result.status) ? result.status + ' ' + text : text;
}

/** GETs JSON: resolves the body, or rejects with an Error whose message is failureText (options.signal can abort it). */
export async function getJson(url, options = {}) {
  const result = await send('GET', url, undefined, options);
  if (result.ok) return result.json;
  throw new Error(failureText(result));
}

/**
 * GETs a response as it came, for keeping (the offline copy, offline.js): { ok, status, body (an ArrayBuffer),
 * type, etag, retryAfter }, bypassing the HTTP cache; status 0 when it never reached the server.
 */
export async function getBytes(url) {
  let response;
  try {
    response = await fetch(url, { headers: requestHeaders(), cache: 'no-store' });
  } catch {
    return { ...networkError(), body: null, type: null };
  }
  return {
    ok: response.ok, status: response.status, body: await response.arrayBuffer(), type: response.headers.get('Content-Type'),
    etag: response.headers.get('ETag'), retryAfter: seconds(response.headers.get('Retry-After')),
  };
}
