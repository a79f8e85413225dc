// The Data Pump page: plain DOM, no framework. Every value from the server is put on the page
// with textContent, never as HTML, so nothing a job name or a log line holds can run as code.
"use strict";

const REFRESH_MS = 5000;
const CSRF = { "X-Datapump-Request": "1" };
const state = { connections: [], open: null, logFirst: null, logPaged: false, orphansOf: null, idleMinutes: "60" };

const $ = (id) => document.getElementById(id);

function say(text, ok = false) {
  $("message").textContent = text || "";
  $("message").className = ok ? "ok" : "";
}

async function call(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", ...options });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail || body);
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

const post = (path) => call(path, { method: "POST", headers: CSRF });
const jobPath = (job) =>
  `api/connections/${encodeURIComponent(job.connection)}/jobs/` +
  `${encodeURIComponent(job.owner)}/${encodeURIComponent(job.job_name)}`;
// Where the job's log is, when the task's link said so (else the server's default place).
const logQuery = (job) => {
  const query = new URLSearchParams();
  if (job.directory) query.set("directory", job.directory);
  if (job.log_file) query.set("log_file", job.log_file);
  return query.toString();
};

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (className) td.className = className;
  row.appendChild(td);
}

async function loadJobs() {
  const body = $("jobs").tBodies[0];
  const rows = [];
  for (const connection of state.connections) {
    try {
      const answer = await call(`api/connections/${encodeURIComponent(connection)}/jobs`);
      for (const job of answer.jobs) rows.push({ ...job, connection });
    } catch (error) {
      say(`${connection}: ${error.message}`);
    }
  }
  body.replaceChildren();
  for (const job of rows) {
    const tr = document.createElement("tr");
    tr.dataset.key = `${job.connection}/${job.owner}/${job.job_name}`;
    cell(tr, job.connection);
    cell(tr, job.owner);
    cell(tr, job.job_name);
    cell(tr, job.operation);
    cell(tr, job.job_mode);
    cell(tr, job.state, "state-" + job.state.replace(" ", "-"));
    cell(tr, job.percent_done === null ? "" : `${job.percent_done}%`);
    cell(tr, job.bytes_processed);
    cell(tr, job.degree);
    cell(tr, job.attached_sessions);
    cell(tr, job.started, "started");
    if (job.started_source) tr.lastChild.title = job.started_source;
    if (state.open && tr.dataset.key === keyOf(state.open)) tr.classList.add("open");
    tr.addEventListener("click", () => openJob({ connection: job.connection, owner: job.owner, job_name: job.job_name }));
    body.appendChild(tr);
  }
  $("refreshed").textContent = `refreshed ${new Date().toLocaleTimeString()}`;
}

const keyOf = (job) => `${job.connection}/${job.owner}/${job.job_name}`;

function fact(list, name, value) {
  const dt = document.createElement("dt");
  dt.textContent = name;
  const dd = document.createElement("dd");
  dd.textContent = value === null || value === undefined ? "" : String(value);
  list.append(dt, dd);
}

async function showJob() {
  const job = state.open;
  if (!job) return;
  const detail = await call(`${jobPath(job)}?${logQuery(job)}`);
  $("job").hidden = false;
  $("job-title").textContent = `${job.owner}.${job.job_name} on ${job.connection}`;
  const facts = $("job-facts");
  facts.replaceChildren();
  // A finished job is no longer listed: its log's final line says how it ended.
  fact(facts, "State", detail.state === "UNDEFINED" ? "no longer listed" : detail.state);
  if (detail.ended) fact(facts, "Ended", detail.ended);
  fact(facts, "Done", detail.percent_done === null ? "" : `${detail.percent_done}%`);
  fact(facts, "Bytes", detail.bytes_processed);
  fact(facts, "Degree", detail.degree);
  fact(facts, "Errors", detail.error_count);
  fact(facts, "Attached sessions", detail.attached_sessions);
  fact(facts, "Started", detail.started ? `${detail.started} (${detail.started_source})` : "unknown");
  for (const worker of detail.workers) {
    fact(facts, "Worker", [worker.state, worker.schema, worker.name, worker.object_type].filter(Boolean).join(" "));
  }
  for (const line of detail.error_lines) fact(facts, "Error", line);
  const by = detail.started_by;
  const mapped = by && by.map_index >= 0 ? `, map index ${by.map_index}` : "";
  const tried = by && by.try ? `, try ${by.try}` : "";
  const when = by && by.at ? `, at ${by.at} (run stamp)` : "";
  fact(facts, "Started by", by ? `DAG ${by.dag}, task ${by.task}, run ${by.run}${mapped}${tried}${when}` : "not an Airflow run");
  $("stop").disabled = !detail.can_stop;
  $("kill").disabled = detail.state === "UNDEFINED";
  $("restart").disabled = !detail.can_restart;
}

async function loadLog(earlier) {
  const job = state.open;
  // ``first`` is the byte offset where the page begins: the next, earlier page ends there.
  const before = earlier && state.logFirst !== null ? `&before=${state.logFirst}` : "";
  try {
    const page = await call(`${jobPath(job)}/log?lines=200${before}&${logQuery(job)}`);
    const text = page.lines.join("\n");
    $("log").textContent = earlier ? `${text}\n${$("log").textContent}` : text;
    state.logFirst = page.first;
    state.logPaged = earlier || state.logPaged;
    $("more-log").disabled = page.first === 0;
  } catch (error) {
    $("log").textContent = error.message;
  }
}

async function openJob(job) {
  state.open = job;
  state.logFirst = null;
  state.logPaged = false;
  try {
    await showJob();
    await loadLog(false);
  } catch (error) {
    say(error.message);
  }
}

async function act(action, question) {
  const job = state.open;
  if (!job || !window.confirm(`${question} ${job.owner}.${job.job_name} on ${job.connection}?`)) return;
  try {
    await post(`${jobPath(job)}/${action}`);
    say(`${action}: done`, true);
    await showJob().catch(() => undefined);
    await loadJobs();
  } catch (error) {
    say(error.message);
  }
}

const idleQuery = () => `idle_minutes=${encodeURIComponent(state.idleMinutes)}`;

function item(list, text) {
  const li = document.createElement("li");
  li.textContent = text;
  list.appendChild(li);
}

async function findOrphans() {
  const list = $("orphan-list");
  const skipped = $("skipped-list");
  list.replaceChildren();
  skipped.replaceChildren();
  state.orphansOf = [];
  state.idleMinutes = $("idle").value || "60";
  for (const connection of state.connections) {
    try {
      const report = await call(`api/connections/${encodeURIComponent(connection)}/orphans?${idleQuery()}`);
      for (const job of report.orphans) {
        item(list, `${connection}: ${job.owner}.${job.job_name} (${job.operation} ${job.job_mode}, ${job.state})`);
      }
      for (const job of report.skipped) item(skipped, `${connection}: ${job.owner}.${job.job_name}: ${job.reason}`);
      if (report.orphans.length) state.orphansOf.push(connection);
    } catch (error) {
      say(`${connection}: ${error.message}`);
    }
  }
  $("orphans").hidden = false;
  $("cleanup").disabled = state.orphansOf.length === 0;
  if (!list.children.length) list.textContent = "No orphaned jobs.";
  if (!skipped.children.length) skipped.textContent = "Nothing.";
}

async function cleanup() {
  if (!window.confirm("Drop the master tables of the orphaned jobs listed above?")) return;
  for (const connection of state.orphansOf) {
    try {
      const report = await post(`api/connections/${encodeURIComponent(connection)}/orphans/cleanup?${idleQuery()}`);
      say(`${connection}: dropped ${report.dropped.length} job(s)`, true);
    } catch (error) {
      say(`${connection}: ${error.message}`);
    }
  }
  await findOrphans();
  await loadJobs();
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  const wanted = params.getAll("conn");
  try {
    const answer = await call("api/connections");
    const select = $("connection");
    for (const id of new Set([...answer.connections, ...wanted])) {
      const option = document.createElement("option");
      option.value = option.textContent = id;
      option.selected = wanted.includes(id) || (!wanted.length && answer.connections.length === 1);
      select.appendChild(option);
    }
  } catch (error) {
    say(error.message);
  }
  const chosen = () => [...$("connection").selectedOptions].map((o) => o.value);
  state.connections = chosen();
  $("pick").addEventListener("submit", (event) => {
    event.preventDefault();
    const other = $("other").value.trim();
    state.connections = [...new Set([...chosen(), ...(other ? [other] : [])])];
    say("");
    loadJobs();
  });
  $("stop").addEventListener("click", () => act("stop", "Stop (restartable)"));
  $("kill").addEventListener("click", () => act("kill", "Kill, dropping its master table,"));
  $("restart").addEventListener("click", () => act("restart", "Restart"));
  $("more-log").addEventListener("click", () => loadLog(true));
  $("find-orphans").addEventListener("click", findOrphans);
  $("cleanup").addEventListener("click", cleanup);
  if (params.get("owner") && params.get("job") && wanted.length) {
    const where = { directory: params.get("dir"), log_file: params.get("log") };
    openJob({ connection: wanted[0], owner: params.get("owner"), job_name: params.get("job"), ...where });
  }
  await loadJobs();
  window.setInterval(() => {
    loadJobs();
    if (state.open) showJob().catch((error) => say(error.message));
    // The tail follows the job while the reader has not paged back (a bounded read each time).
    if (state.open && !state.logPaged) loadLog(false);
  }, REFRESH_MS);
}

document.addEventListener("DOMContentLoaded", start);
