// The public API of the gateway, as the page uses it. The access token lives in this module's memory only: never in
// localStorage, sessionStorage or a cookie, so a script that gets into the page later finds nothing stored, and
// closing or reloading the tab logs out.

let session = null; // {token, email, expiresAt}
const signedOutListeners = [];

/** An answer that is not a success, with the problem document the API sent (RFC 9457) when there was one. */
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super((problem && (problem.detail || problem.title)) || fallback || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem || null;
  }

  /** The endpoint is not on this server (yet): unknown path, or a method it does not take. */
  get notOffered() {
    return this.status === 404 || this.status === 405 || this.status === 501;
  }
}

export function signedIn() {
  return session !== null;
}

export function sessionEmail() {
  return session ? session.email : null;
}

export function bearer() {
  return session ? `Bearer ${session.token}` : null;
}

export function onSignedOut(listener) {
  signedOutListeners.push(listener);
}

export function signOut(reason) {
  const wasSignedIn = session !== null;
  session = null;
  if (wasSignedIn) {
    signedOutListeners.forEach((listener) => listener(reason));
  }
}

/** Reads a problem document (or any JSON) from a response; null when it has none. */
export async function readProblem(response) {
  const type = response.headers.get('Content-Type') || '';
  if (!type.includes('json')) {
    return null;
  }
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/**
 * One API call. JSON bodies in and out; a 401 on an authenticated call ends the session. Resolves with
 * {status, body, headers} for 2xx; rejects with ApiError otherwise, or with a plain-words Error when the server
 * cannot be reached.
 */
export async function call(method, path, {json, authenticated = true, headers = {}} = {}) {
  const init = {method, headers: {Accept: 'application/json, application/problem+json', ...headers}};
  if (authenticated) {
    if (!session) {
      throw new ApiError(401, null, 'Please log in first.');
    }
    init.headers.Authorization = bearer();
  }
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new Error('The server cannot be reached. Check your connection and try again.');
  }
  return settle(response, authenticated);
}

async function settle(response, authenticated) {
  if (response.ok) {
    const type = response.headers.get('Content-Type') || '';
    const body = response.status !== 204 && type.includes('json') ? await response.json() : null;
    return {status: response.status, body, headers: response.headers};
  }
  const problem = await readProblem(response);
  if (response.status === 401 && authenticated) {
    signOut('Your session has ended. Please log in again.');
  }
  throw new ApiError(response.status, problem);
}

export async function register(name, email, password) {
  return call('POST', '/auth/register', {json: {name, email, password}, authenticated: false});
}

export async function logIn(email, password) {
  const {body} = await call('POST', '/auth/login', {json: {email, password}, authenticated: false});
  session = {token: body.access_token, email, expiresAt: Date.now() + body.expires_in * 1000};
  return session;
}

export async function verify(token) {
  return call('POST', '/auth/verify', {json: {token}, authenticated: false});
}

export async function requestPasswordReset(email) {
  return call('POST', '/auth/password-reset', {json: {email}, authenticated: false});
}

export async function confirmPasswordReset(token, password) {
  return call('POST', '/auth/password-reset/confirm', {json: {token, password}, authenticated: false});
}

export async function deleteAccount() {
  const answer = await call('DELETE', '/account');
  signOut('Your account and all its files were deleted.');
  return answer;
}

/** A random key for Idempotency-Key: the same submission sent twice (a retry after a lost answer) is one job. */
export function idempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function convertUrl(url, bitrate) {
  return call('POST', '/conversions', {json: {url, bitrate}, headers: {'Idempotency-Key': idempotencyKey()}});
}

/**
 * Uploads a file as multipart/form-data (part "file", part "bitrate"). XMLHttpRequest rather than fetch: only it
 * reports upload progress. onProgress gets 0..1.
 */
export function convertFile(file, bitrate, onProgress) {
  return new Promise((resolve, reject) => {
    if (!session) {
      reject(new ApiError(401, null, 'Please log in first.'));
      return;
    }
    const form = new FormData();
    form.append('bitrate', bitrate);
    form.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', '/conversions');
    request.setRequestHeader('Authorization', bearer());
    request.setRequestHeader('Accept', 'application/json, application/problem+json');
    request.setRequestHeader('Idempotency-Key', idempotencyKey());
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) {
        onProgress(event.loaded / event.total);
      }
    });
    request.addEventListener('load', () => {
      let body = null;
      try {
        body = request.responseText ? JSON.parse(request.responseText) : null;
      } catch {
        body = null;
      }
      if (request.status >= 200 && request.status < 300) {
        resolve({status: request.status, body});
        return;
      }
      if (request.status === 401) {
        signOut('Your session has ended. Please log in again.');
      }
      reject(new ApiError(request.status, body));
    });
    request.addEventListener('error', () => reject(new Error(
        'The upload was interrupted. Check your connection and try again.')));
    request.send(form);
  });
}

export async function listConversions(limit = 50) {
  return call('GET', `/conversions?limit=${limit}`);
}

export async function conversion(id) {
  return call('GET', `/conversions/${encodeURIComponent(id)}`);
}

export async function retry(id) {
  return call('POST', `/conversions/${encodeURIComponent(id)}/retry`);
}

export async function cancelOrDelete(id) {
  return call('DELETE', `/conversions/${encodeURIComponent(id)}`);
}

/** The MP3 through the API with the access token, as a Blob (when the status document has no download link). */
export async function mp3(id) {
  let response;
  try {
    response = await fetch(`/conversions/${encodeURIComponent(id)}/mp3`, {headers: {Authorization: bearer()}});
  } catch {
    throw new Error('The server cannot be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    await settle(response, true);
  }
  return response.blob();
}

/**
 * Follows GET /conversions/{id}/events (Server-Sent Events). EventSource cannot send the Authorization header, so
 * the stream is read with fetch and parsed here. onEvent gets each event's {event, data}; resolves when the stream
 * ends, rejects (ApiError or Error) when it cannot be opened or breaks. signal aborts it.
 */
export async function followEvents(id, onEvent, signal) {
  const response = await fetch(`/conversions/${encodeURIComponent(id)}/events`, {
    headers: {Authorization: bearer(), Accept: 'text/event-stream'},
    signal,
  });
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
    if (response.ok) {
      throw new ApiError(501, null, 'This server does not stream job events.');
    }
    await settle(response, true);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = {event: 'message', data: []};
  for (;;) {
    const {value, done} = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let end;
    while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (event.data.length > 0) {
          onEvent({event: event.event, data: event.data.join('\n')});
        }
        event = {event: 'message', data: []};
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') {
          event.event = text;
        } else if (field === 'data') {
          event.data.push(text);
        }
      }
    }
  }
}
