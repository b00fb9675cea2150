// The web app: which view shows (signed out, signed in, or the pages the emailed links open), and the forms.
import * as api from './api.js';
import {JobList} from './jobs.js';

const $ = (id) => document.getElementById(id);

const views = {signedOut: $('signed-out'), signedIn: $('signed-in'), verify: $('verify'), reset: $('reset')};
const notice = $('notice');
const jobs = new JobList({
  list: $('jobs'),
  empty: $('jobs-empty'),
  template: $('job-template'),
  notify,
});

function show(name) {
  for (const [key, view] of Object.entries(views)) {
    view.hidden = key !== name;
  }
  $('session').hidden = name !== 'signedIn';
  $('session-email').textContent = api.sessionEmail() || '';
}

/** A message for the user in the live region (screen readers announce it). */
function notify(text, isError = false) {
  notice.textContent = text;
  notice.classList.toggle('error', isError);
  notice.hidden = !text;
}

/** The message for a failed call, with a plain-words fallback for an endpoint the server does not offer yet. */
function explain(error, unavailable) {
  if (error instanceof api.ApiError && error.notOffered && unavailable) {
    return unavailable;
  }
  if (error instanceof api.ApiError && error.status === 429) {
    return 'Too many attempts. Please wait a minute and try again.';
  }
  return error.message;
}

function busy(form, isBusy) {
  for (const control of form.elements) {
    control.disabled = isBusy;
  }
}

/** Runs a form's action with its controls disabled, and shows the field errors the browser finds first. */
function onSubmit(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) {
      return;
    }
    busy(form, true);
    try {
      await action();
    } finally {
      busy(form, false);
    }
  });
}

// ---- signed out ----------------------------------------------------------------------------------------------

onSubmit($('login-form'), async () => {
  try {
    await api.logIn($('login-email').value.trim(), $('login-password').value);
    $('login-password').value = '';
    notify('');
    await enter();
  } catch (error) {
    notify(error instanceof api.ApiError && error.status === 401
        ? 'Wrong email or password.' : explain(error), true);
  }
});

onSubmit($('register-form'), async () => {
  const email = $('register-email').value.trim();
  try {
    const {status} = await api.register($('register-name').value.trim(), email, $('register-password').value);
    $('register-password').value = '';
    $('login-email').value = email;
    notify(status === 202
        ? `Almost done: we sent an email to ${email}. Open the link in it to confirm your address, then log in.`
        : 'Your account is ready. Log in to start converting.');
  } catch (error) {
    notify(error instanceof api.ApiError && error.status === 409
        ? 'There is already an account with this email address. Log in, or reset your password.'
        : explain(error), true);
  }
});

$('forgot-open').addEventListener('click', () => {
  $('forgot-email').value = $('login-email').value;
  $('forgot-form').hidden = false;
  $('login-form').hidden = true;
  $('forgot-email').focus();
});

$('forgot-close').addEventListener('click', () => {
  $('forgot-form').hidden = true;
  $('login-form').hidden = false;
});

onSubmit($('forgot-form'), async () => {
  const email = $('forgot-email').value.trim();
  try {
    await api.requestPasswordReset(email);
    notify(`If ${email} has an account, we sent it a link to choose a new password.`);
    $('forgot-form').hidden = true;
    $('login-form').hidden = false;
  } catch (error) {
    notify(explain(error, 'This server cannot reset passwords yet.'), true);
  }
});

// ---- the pages the emailed links open ------------------------------------------------------------------------

/** The token of an emailed link, taken out of the address bar at once so it stays out of history and bookmarks. */
function takeToken() {
  const token = new URLSearchParams(location.search).get('token');
  history.replaceState(null, '', location.pathname);
  return token;
}

async function verifyFromLink() {
  show('verify');
  const result = $('verify-result');
  const token = takeToken();
  if (!token) {
    result.textContent = 'This link has no token. Open the link from the email exactly as it is.';
    views.signedOut.hidden = false;
    return;
  }
  try {
    await api.verify(token);
    result.textContent = 'Your email address is confirmed. You can log in now.';
  } catch (error) {
    result.textContent = explain(error, 'This server cannot confirm email addresses yet.')
        + (error.status === 400 || error.status === 410
          ? ' The link may be used up or expired: register again to get a new one.' : '');
  }
  views.signedOut.hidden = false;
}

let resetToken = null;

function resetFromLink() {
  resetToken = takeToken();
  show('reset');
  if (!resetToken) {
    notify('This link has no token. Open the link from the email exactly as it is.', true);
  }
  $('reset-password').focus();
}

onSubmit($('reset-form'), async () => {
  try {
    await api.confirmPasswordReset(resetToken, $('reset-password').value);
    $('reset-password').value = '';
    notify('Your password is changed. Log in with the new one.');
    show('signedOut');
  } catch (error) {
    notify(explain(error, 'This server cannot reset passwords yet.')
        + (error.status === 400 || error.status === 410 ? ' Ask for a new link if this one is used up or expired.' : ''),
    true);
  }
});

// ---- signed in -----------------------------------------------------------------------------------------------

async function enter() {
  show('signedIn');
  try {
    await jobs.load();
  } catch (error) {
    notify(explain(error), true);
  }
}

$('logout').addEventListener('click', () => api.signOut('You are logged out.'));

api.onSignedOut((reason) => {
  jobs.clear();
  show('signedOut');
  notify(reason, false);
});

$('refresh').addEventListener('click', async () => {
  try {
    await jobs.load();
  } catch (error) {
    notify(explain(error), true);
  }
});

const fileInput = $('source-file');
const dropZone = $('drop-zone');

dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('dragging');
});
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  if (event.dataTransfer && event.dataTransfer.files.length > 0) {
    fileInput.files = event.dataTransfer.files;
    $('source-url').value = '';
  }
});
fileInput.addEventListener('change', () => {
  if (fileInput.files.length > 0) {
    $('source-url').value = '';
  }
});

/** Plain words for a refused submission. */
function explainSubmission(error) {
  if (!(error instanceof api.ApiError)) {
    return error.message;
  }
  switch (error.status) {
    case 403:
      return 'Please confirm your email address first: open the link in the email we sent you.';
    case 413:
      return 'The file is too large for this server.';
    case 415:
      return 'This server does not take files of this kind. Is it an audio file?';
    case 429:
      return (error.problem && error.problem.detail) || 'Too many conversions at once. Wait a little and try again.';
    case 503:
      return 'The service is busy or partly down. Please try again in a minute.';
    default:
      return error.message;
  }
}

onSubmit($('convert-form'), async () => {
  const url = $('source-url').value.trim();
  const file = fileInput.files[0];
  const bitrate = $('bitrate').value;
  if (!url && !file) {
    notify('Enter the address of an audio file, or choose a file.', true);
    $('source-url').focus();
    return;
  }
  try {
    let answer;
    if (file) {
      answer = await upload(file, bitrate);
    } else {
      answer = await api.convertUrl(url, bitrate);
    }
    jobs.added({...answer.body, ...(file ? {filename: file.name} : {sourceUrl: url})});
    $('source-url').value = '';
    fileInput.value = '';
    notify(answer.status === 200 ? 'This was already submitted: here it is.' : 'Accepted: it is in your list below.');
  } catch (error) {
    notify(explainSubmission(error), true);
  }
});

async function upload(file, bitrate) {
  const progress = $('upload-progress');
  $('upload-name').textContent = file.name;
  progress.value = 0;
  $('upload').hidden = false;
  try {
    return await api.convertFile(file, bitrate, (fraction) => {
      progress.value = Math.round(fraction * 100);
    });
  } finally {
    $('upload').hidden = true;
  }
}

onSubmit($('delete-account-form'), async () => {
  try {
    await api.deleteAccount();
    $('delete-account-confirm').checked = false;
  } catch (error) {
    notify(explain(error, 'This server cannot delete accounts yet.'), true);
  }
});

// ---- start ---------------------------------------------------------------------------------------------------

switch (location.pathname) {
  case '/verify':
    verifyFromLink();
    break;
  case '/reset':
    resetFromLink();
    break;
  default:
    show('signedOut');
}
