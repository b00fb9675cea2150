// The list of the user's conversions, kept live: each unfinished job follows its event stream
// (GET /conversions/{id}/events); where the server has no stream, or it breaks, the job's status document is polled.
import * as api from './api.js';

const FINAL = new Set(['completed', 'failed', 'cancelled']);
/** Browsers allow about six connections to one server: streams beyond this many poll instead. */
const MAX_STREAMS = 3;
const POLL_MS = 2000;

const STATUS_WORDS = {
  queued: 'Waiting',
  processing: 'Converting',
  completed: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The user's sentence for a failure reason, when the job carries no message of its own. */
const REASON_WORDS = {
  source_unreachable: 'We could not download the file from the address you gave.',
  source_not_found: 'The address you gave does not point to a file.',
  source_too_large: 'The file is larger than we accept.',
  not_audio: 'The file is not an audio file we can read.',
  too_long: 'The recording is longer than we accept.',
  conversion_failed: 'The audio could not be converted to MP3.',
  timeout: 'The conversion took too long and was stopped.',
  blocked_url: 'The address you gave is not allowed (only public http and https addresses are).',
  storage_unavailable: 'We could not store the MP3.',
  internal_error: 'Something went wrong on our side.',
};

export class JobList {
  constructor({list, empty, template, notify}) {
    this.list = list;
    this.empty = empty;
    this.template = template;
    this.notify = notify;
    this.jobs = new Map(); // id -> {job, element, follow: AbortController|null, poll: timer|null, mode}
  }

  /** Loads the newest jobs and follows the unfinished ones. */
  async load() {
    const {body} = await api.listConversions();
    const seen = new Set();
    for (const job of body.items) {
      seen.add(job.id);
      this.upsert(job, false);
    }
    for (const id of [...this.jobs.keys()]) {
      if (!seen.has(id)) {
        this.remove(id);
      }
    }
    this.order(body.items.map((job) => job.id));
  }

  /** A job just accepted (the 202's body): shown first and followed. */
  added(job) {
    this.upsert({status: 'queued', ...job}, true);
    this.refresh(job.id);
  }

  clear() {
    for (const id of [...this.jobs.keys()]) {
      this.remove(id);
    }
  }

  upsert(job, first) {
    let entry = this.jobs.get(job.id);
    if (!entry) {
      const element = this.template.content.firstElementChild.cloneNode(true);
      element.dataset.id = job.id;
      entry = {job, element, follow: null, poll: null};
      this.jobs.set(job.id, entry);
      if (first) {
        this.list.prepend(element);
      } else {
        this.list.append(element);
      }
    } else {
      entry.job = {...entry.job, ...job};
    }
    this.render(entry);
    this.watch(entry);
    this.empty.hidden = this.jobs.size > 0;
  }

  order(ids) {
    for (const id of ids) {
      const entry = this.jobs.get(id);
      if (entry) {
        this.list.append(entry.element);
      }
    }
  }

  remove(id) {
    const entry = this.jobs.get(id);
    if (!entry) {
      return;
    }
    this.stop(entry);
    entry.element.remove();
    this.jobs.delete(id);
    this.empty.hidden = this.jobs.size > 0;
  }

  stop(entry) {
    if (entry.follow) {
      entry.follow.abort();
      entry.follow = null;
    }
    if (entry.poll) {
      clearTimeout(entry.poll);
      entry.poll = null;
    }
  }

  /** Fetches a job's status document and shows it; a job that is gone leaves the list. */
  async refresh(id) {
    try {
      const {body} = await api.conversion(id);
      this.upsert(body, false);
    } catch (error) {
      if (error.status === 404 || error.status === 410) {
        this.remove(id);
      } else if (error.status !== 401) {
        this.later(id);
      }
    }
  }

  /** Follows an unfinished job: its event stream if one is free, otherwise polling. */
  watch(entry) {
    if (FINAL.has(entry.job.status)) {
      this.stop(entry);
      return;
    }
    if (entry.follow || entry.poll) {
      return;
    }
    const streams = [...this.jobs.values()].filter((e) => e.follow).length;
    if (streams < MAX_STREAMS && !this.noStreams && !entry.pollOnly) {
      this.stream(entry);
    } else {
      this.later(entry.job.id);
    }
  }

  later(id) {
    const entry = this.jobs.get(id);
    if (!entry || entry.poll || !api.signedIn()) {
      return;
    }
    entry.poll = setTimeout(() => {
      entry.poll = null;
      this.refresh(id);
    }, POLL_MS);
  }

  stream(entry) {
    const id = entry.job.id;
    const follow = new AbortController();
    entry.follow = follow;
    api.followEvents(id, (event) => this.onEvent(id, event), follow.signal)
        .then(() => null, (error) => error)
        .then((error) => {
          if (follow.signal.aborted) {
            return;
          }
          entry.follow = null;
          // A stream ends when its job finishes; one that ended early or broke is not tried again for this job.
          entry.pollOnly = true;
          if (error && error.status === 401) {
            return;
          }
          if (error && error.notOffered) {
            this.noStreams = true; // no event streams on this server (or no such job: the status document says)
          }
          this.refresh(id);
        });
  }

  onEvent(id, event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (data && typeof data === 'object' && this.jobs.has(id)) {
      const update = {...data, id};
      if (!update.status && ['queued', 'processing', ...FINAL].includes(event.event)) {
        update.status = event.event;
      }
      const entry = this.jobs.get(id);
      entry.job = {...entry.job, ...update};
      this.render(entry);
    }
  }

  render(entry) {
    const {job, element} = entry;
    element.dataset.status = job.status;
    element.querySelector('.job-name').textContent = displayName(job);
    const status = element.querySelector('.job-status');
    status.textContent = STATUS_WORDS[job.status] || job.status;
    status.className = `job-status status-${job.status}`;

    const progress = element.querySelector('.job-progress');
    const hasProgress = job.status === 'processing' && Number.isFinite(job.progress);
    progress.hidden = !(job.status === 'processing' || job.status === 'queued');
    progress.setAttribute('aria-label', `Progress of ${displayName(job)}`);
    if (hasProgress) {
      progress.value = job.progress;
      status.textContent = `Converting ${Math.round(job.progress)} %`;
    } else {
      progress.removeAttribute('value'); // indeterminate
    }

    element.querySelector('.job-detail').textContent = detail(job);
    this.actions(entry);
  }

  actions(entry) {
    const {job, element} = entry;
    const actions = element.querySelector('.job-actions');
    actions.replaceChildren();
    const name = displayName(job);
    if (job.status === 'completed') {
      actions.append(this.downloadLink(job, name));
    }
    if (job.status === 'failed') {
      actions.append(this.button('Try again', `Try ${name} again`, () => this.retry(job.id)));
    }
    if (FINAL.has(job.status)) {
      actions.append(this.button('Delete', `Delete ${name}`, () => this.cancelOrDelete(job.id, false), 'destructive'));
    } else {
      actions.append(this.button('Cancel', `Cancel ${name}`, () => this.cancelOrDelete(job.id, true)));
    }
  }

  button(text, label, onClick, kind) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = text;
    button.setAttribute('aria-label', label);
    if (kind) {
      button.className = kind;
    }
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await onClick();
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  /** The signed link of the status document when it has one, else the API's MP3 fetched with the token. */
  downloadLink(job, name) {
    const link = document.createElement('a');
    link.className = 'button';
    link.textContent = 'Download MP3';
    link.setAttribute('aria-label', `Download ${name} as MP3`);
    const filename = (job.download && job.download.filename) || `${baseName(name)}.mp3`;
    link.download = filename;
    if (job.download && job.download.url) {
      link.href = job.download.url;
      return link;
    }
    link.href = `/conversions/${encodeURIComponent(job.id)}/mp3`;
    link.addEventListener('click', async (event) => {
      if (link.dataset.ready) {
        return; // the second, synthetic click below
      }
      event.preventDefault();
      try {
        const blob = await api.mp3(job.id);
        link.href = URL.createObjectURL(blob);
        link.dataset.ready = 'yes';
        link.click();
      } catch (error) {
        this.notify(error.message, true);
      }
    });
    return link;
  }

  async retry(id) {
    try {
      await api.retry(id);
      this.notify('Queued again.');
      this.upsert({id, status: 'queued', error: undefined}, false);
      this.refresh(id);
    } catch (error) {
      if (error.notOffered && error.status !== 404) {
        this.notify('This server cannot retry conversions yet.', true);
      } else if (error.status === 409) {
        this.notify(error.problem && error.problem.detail
            ? error.problem.detail : 'This conversion cannot be tried again.', true);
      } else {
        this.notify(error.message, true);
      }
    }
  }

  /** DELETE: an unfinished job is cancelled (and stays in the list), a finished one is deleted with its file. */
  async cancelOrDelete(id, cancelling) {
    try {
      await api.cancelOrDelete(id);
      this.notify(cancelling ? 'Cancelled.' : 'Deleted.');
      if (cancelling) {
        this.refresh(id);
      } else {
        this.remove(id);
      }
    } catch (error) {
      if (error.status === 404) {
        this.remove(id);
      } else if (error.notOffered) {
        this.notify('This server cannot cancel or delete conversions yet.', true);
      } else {
        this.notify(error.message, true);
      }
    }
  }
}

/** What to call a job: the uploaded file's name or the last part of its address (what the user gave). */
export function displayName(job) {
  const source = job.source || {};
  const filename = source.filename || job.filename;
  if (filename) {
    return filename;
  }
  const address = source.url || job.sourceUrl;
  if (address) {
    try {
      const url = new URL(address);
      const last = decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() || '');
      return last || url.hostname;
    } catch {
      return address;
    }
  }
  if (job.download && job.download.filename) {
    return job.download.filename;
  }
  return `Conversion ${job.id.slice(0, 8)}`;
}

function baseName(name) {
  return name.replace(/\.[^.]+$/, '') || 'converted';
}

function detail(job) {
  switch (job.status) {
    case 'queued':
      return 'Waiting for a free converter.';
    case 'processing':
      return 'Converting to MP3…';
    case 'completed': {
      const parts = [];
      const seconds = job.durationSeconds ?? (job.download && job.download.durationSeconds);
      const bytes = job.bytes ?? (job.download && job.download.bytes);
      if (Number.isFinite(seconds)) {
        parts.push(duration(seconds));
      }
      if (Number.isFinite(bytes)) {
        parts.push(size(bytes));
      }
      if (job.expiresAt) {
        parts.push(`kept until ${new Date(job.expiresAt).toLocaleDateString(undefined,
            {day: 'numeric', month: 'long', year: 'numeric'})}`);
      }
      return parts.join(' · ');
    }
    case 'failed':
      return (job.error && (job.error.message || REASON_WORDS[job.error.reason]))
          || 'The conversion failed.';
    case 'cancelled':
      return 'You cancelled this conversion.';
    default:
      return '';
  }
}

function duration(seconds) {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')} min`;
}

function size(bytes) {
  if (bytes < 1024 * 1024) {
    return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  }
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
