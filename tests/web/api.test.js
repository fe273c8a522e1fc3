import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { currentUser, problemText, rememberUser, send } from '../../wwwroot/js/api.js';

let calls;
let answers;
const realFetch = globalThis.fetch;

/** A stub of fetch: records each call and answers with the next queued Response (or throws it when it is an Error). */
beforeEach(() => {
  calls = [];
  answers = [];
  rememberUser(null);
  globalThis.fetch = async (url, init) => {
    calls.push({ url, ...init });
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return answer;
  };
});
afterEach(() => { globalThis.fetch = realFetch; });

const json = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } });

test('a JSON body goes as JSON with Accept and Content-Type; the answer has ok, status, json and etag', async () => {
  answers.push(json(200, { id: 7 }, { ETag: '"v2"' }));
  const result = await send('POST', 'api/settlements', { name: 'Bara' });
  assert.deepEqual(result, { ok: true, status: 200, json: { id: 7 }, etag: '"v2"', retryAfter: null });
  assert.equal(calls[0].url, 'api/settlements');
  assert.equal(calls[0].method, 'POST');
  assert.equal(calls[0].body, '{"name":"Bara"}');
  assert.deepEqual(calls[0].headers, { Accept: 'application/json, application/geo+json', 'Content-Type': 'application/json' });
});

test('no body: no Content-Type and no body; an empty answer has json null and etag null', async () => {
  answers.push(new Response(null, { status: 204 }));
  const result = await send('DELETE', 'api/coverage/3');
  assert.deepEqual(result, { ok: true, status: 204, json: null, etag: null, retryAfter: null });
  assert.equal(calls[0].body, undefined);
  assert.ok(!('Content-Type' in calls[0].headers));
});

test('options.etag becomes If-Match', async () => {
  answers.push(json(412, { title: 'Changed meanwhile.' }));
  const result = await send('PATCH', 'api/settlements/1', { properties: {} }, { etag: '"v1"' });
  assert.equal(calls[0].headers['If-Match'], '"v1"');
  assert.equal(result.ok, false);
  assert.equal(result.status, 412);
});

test('the antiforgery token of the user read from api/auth/me goes on later sends, and changes with the user', async () => {
  answers.push(new Response(null, { status: 204 }));
  await send('POST', 'api/auth/sign-out');
  assert.ok(!('X-CSRF-TOKEN' in calls[0].headers), 'no token before a user is read');

  answers.push(json(200, { signed_in: false, csrf_token: 'anon-token' }));
  const user = await currentUser();
  assert.deepEqual(user, { signed_in: false, csrf_token: 'anon-token' });
  assert.equal(calls[1].url, 'api/auth/me');
  assert.equal(calls[1].method, 'GET');

  answers.push(json(200, {}));
  await send('POST', 'api/auth/sign-in', { user_name: 'a', password: 'b' });
  assert.equal(calls[2].headers['X-CSRF-TOKEN'], 'anon-token');

  rememberUser({ signed_in: true, csrf_token: 'user-token' });
  answers.push(json(200, {}));
  await send('PUT', 'api/coverage/1', {});
  assert.equal(calls[3].headers['X-CSRF-TOKEN'], 'user-token');
});

test('api/auth/me that fails reads as not signed in', async () => {
  answers.push(new Response('Service Unavailable', { status: 503 }));
  assert.deepEqual(await currentUser(), { signed_in: false });
});

test('a body that is not JSON gives json null and the status, and problemText names the status', async () => {
  answers.push(new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
  const result = await send('GET', 'api/settlements/1/history');
  assert.deepEqual(result, { ok: false, status: 502, json: null, etag: null, retryAfter: null });
  assert.equal(problemText(result), '502');
});

test('a request that never reaches the server answers status 0 "network error"', async () => {
  answers.push(new TypeError('Failed to fetch'));
  const result = await send('POST', 'api/imports/1/apply');
  assert.deepEqual(result, { ok: false, status: 0, json: { title: 'network error' }, etag: null, retryAfter: null });
  assert.equal(problemText(result), 'network error');
});

test('problemText: title and detail, else the field errors, else the status', () => {
  assert.equal(problemText({ status: 400, json: { title: 'Send JSON.', detail: 'The body is empty.' } }), 'Send JSON. The body is empty.');
  assert.equal(problemText({ status: 409, json: { title: 'Changed meanwhile.' } }), 'Changed meanwhile.');
  assert.equal(problemText({ status: 400, json: { detail: 'Only the detail.' } }), 'Only the detail.');
  assert.equal(problemText({ status: 400, json: { errors: { crs: ['Unknown CRS.'], encoding: ['Unknown encoding.'] } } }), 'Unknown CRS. Unknown encoding.');
  assert.equal(problemText({ status: 500, json: null }), '500');
  assert.equal(problemText({ status: 404, json: {} }), '404');
});

test('a 429 reads as "too many requests, try again in N s" in the page\'s language, N from Retry-After', async () => {
  answers.push(json(429, { title: 'Too many requests.', detail: 'This client has used its budget of exports and import uploads.' }, { 'Retry-After': '7' }));
  const result = await send('GET', 'api/export/settlements?format=csv');
  assert.equal(result.retryAfter, 7);
  const texts = {};
  try {
    for (const lang of ['sr-Latn', 'sr-Cyrl', 'en']) {
      globalThis.document = { documentElement: { lang } };
      texts[lang] = problemText(result);
    }
  } finally {
    delete globalThis.document;
  }
  assert.deepEqual(texts, {
    'sr-Latn': 'Previše zahteva; pokušajte ponovo za 7 s.',
    'sr-Cyrl': 'Превише захтева; покушајте поново за 7 с.',
    en: 'Too many requests; try again in 7 s.',
  });
  // No document (or no Retry-After): English, and a second.
  assert.equal(problemText({ status: 429, json: null, retryAfter: null }), 'Too many requests; try again in 1 s.');
});

test('Retry-After is read as whole seconds, else null', async () => {
  answers.push(json(503, { title: 'Busy.' }, { 'Retry-After': '1' }));
  assert.equal((await send('GET', 'tiles')).retryAfter, 1);
  answers.push(json(503, { title: 'Busy.' }, { 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' }));
  assert.equal((await send('GET', 'tiles')).retryAfter, null);
});
