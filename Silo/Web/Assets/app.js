// The JobQueue web page: three views (overview, rep group, job) fed by server-sent snapshots from /rest/v1/events.
// Every event replaces what a view shows (snapshots, never deltas); actions call the REST API after a confirmation.
"use strict";
const STATES = ["dependent", "delayed", "ready", "reserved", "running", "buried", "complete"];
const PAGE = 100;
const view = document.getElementById("view");
const route = { name: "overview", arg: "", filter: "", offset: 0 };
let source = null, ticker = null, lastJob = null;

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
};
const fmt = n => Number(n).toLocaleString("en");
const secs = s => s < 90 ? `${s.toFixed(1)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
const mb = m => m < 1024 ? `${Math.round(m)} MB` : `${(m / 1024).toFixed(1)} GB`;
const enc = encodeURIComponent;
const show = (...children) => view.replaceChildren(...children.flat(2));

async function api(method, path, body) {
  const res = await fetch(path, { method, headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `${res.status} ${res.statusText}`);
  return data;
}

async function act(action, selection, what) {
  const verbs = { retry: ["POST", "/rest/v1/jobs/retry", "Retry"], remove: ["DELETE", "/rest/v1/jobs", "Remove"], kill: ["POST", "/rest/v1/jobs/kill", "Kill"] };
  const [method, path, verb] = verbs[action];
  if (!confirm(`${verb} ${what}?`)) return;
  try {
    const result = await api(method, path, selection);
    const [word, n] = Object.entries(result)[0];
    flash(`${word} ${n} job${n === 1 ? "" : "s"}`);
  } catch (e) { flash(`failed: ${e.message}`); }
}

function flash(text) {
  const note = el("div", { class: "card", id: "flash" }, text);
  document.getElementById("flash")?.remove();
  view.prepend(note);
  setTimeout(() => note.remove(), 4000);
}

function bar(c) {
  const total = STATES.reduce((s, k) => s + c[k], 0) || 1;
  return el("div", { class: "bar", title: STATES.map(k => `${k} ${fmt(c[k])}`).join(", ") },
    STATES.filter(k => c[k] > 0).map(k => el("span", { class: k, style: `width:${(100 * c[k] / total).toFixed(2)}%` })));
}

function countsRow(c, cls, label) {
  return el("tr", { class: cls, "data-repgroup": c.repGroup },
    el("td", {}, label), el("td", {}, bar(c)), STATES.map(k => el("td", { class: `n n-${k}` }, fmt(c[k]))));
}

function renderOverview(data) {
  const o = data.overview;
  if (route.name !== "overview") return;
  let search = document.getElementById("filter");
  const focused = document.activeElement === search;
  const rows = o.groups.map(g => countsRow(g, "group", el("a", { href: `#/group/${enc(g.repGroup)}` }, g.repGroup)));
  search = el("input", { type: "search", id: "filter", placeholder: "filter rep groups…", value: route.filter, oninput: e => { route.filter = e.target.value; route.offset = 0; connect(); } });
  const pager = el("div", { class: "pager" },
    el("button", { onclick: () => { route.offset = Math.max(0, route.offset - PAGE); connect(); } }, "‹ previous"),
    el("span", { class: "muted" }, o.matched ? `${fmt(o.offset + 1)}–${fmt(Math.min(o.offset + PAGE, o.matched))} of ${fmt(o.matched)} rep groups` : "no rep groups"),
    el("button", { onclick: () => { if (route.offset + PAGE < o.matched) { route.offset += PAGE; connect(); } } }, "next ›"));
  show(
    el("h1", {}, "Rep groups"),
    el("div", { class: "toolbar" }, search, el("span", { class: "muted", id: "version" }, `snapshot ${data.version}`)),
    document.getElementById("legend").content.cloneNode(true),
    el("table", { id: "overview" },
      el("thead", {}, el("tr", {}, el("th", {}, "rep group"), el("th", {}, ""), STATES.map(k => el("th", { class: "n" }, k)))),
      el("tbody", {}, countsRow(o.total, "total", "all"), route.filter ? countsRow(o.matchedTotal, "total matched", `matching “${route.filter}”`) : [], rows)),
    pager);
  if (focused) { const s = document.getElementById("filter"); s.focus(); s.setSelectionRange(s.value.length, s.value.length); }
}

function spread(label, s, unit) {
  return el("div", {}, el("span", { class: "muted" }, `${label}: `), `${unit(s.mean)} ± ${unit(s.sd)}`);
}

function histogram(label, counts, edges, unit) {
  const max = Math.max(1, ...counts);
  const names = counts.map((_, i) => i === 0 ? `< ${unit(edges[0])}` : i === edges.length ? `≥ ${unit(edges[i - 1])}` : `${unit(edges[i - 1])}–${unit(edges[i])}`);
  return el("div", {}, el("div", { class: "muted" }, label),
    el("div", { class: "hist" }, counts.map((n, i) => el("div", { title: `${names[i]}: ${fmt(n)}`, style: `height:${(100 * n / max).toFixed(1)}%` }))),
    el("div", { class: "hist-labels" }, el("span", {}, names[0]), el("span", {}, names[names.length - 1])));
}

function jobLine(j) {
  return el("div", {}, el("a", { href: `#/job/${j.key}` }, el("code", {}, j.cmd)), el("span", { class: "muted" }, ` in ${j.cwd}`));
}

function renderGroup(data) {
  if (route.name !== "group") return;
  const cards = data.groups.map(g => {
    const selection = { repGroup: data.repGroup, state: g.state, exitCode: g.exitCode, failReason: g.failReason };
    const similar = `${fmt(g.count)} ${g.state} job${g.count === 1 ? "" : "s"} of ${data.repGroup}${g.failReason ? ` (${g.failReason})` : ""}`;
    const list = el("div", { class: "examples" }, g.example ? jobLine(g.example) : []);
    let after = null;
    const more = el("button", { onclick: async () => {
      const page = await api("GET", `/rest/v1/jobs?repgrp=${enc(data.repGroup)}&state=${g.state}&exitcode=${g.exitCode}&failreason=${enc(g.failReason)}&limit=20${after ? `&after=${enc(after)}` : ""}`);
      if (!after) list.replaceChildren();
      page.jobs.forEach(j => list.append(jobLine(j)));
      after = page.next;
      if (!after) more.remove();
    } }, "load more");
    return el("div", { class: "card group", "data-state": g.state },
      el("div", { class: "head" }, el("span", { class: `pill ${g.state}` }, g.state), el("strong", {}, fmt(g.count)),
        g.exitCode >= 0 ? el("span", {}, `exit ${g.exitCode}`) : [], g.failReason ? el("span", { class: "warn" }, g.failReason) : []),
      g.measured > 0 ? [
        el("div", { class: "stats" }, spread("peak memory", g.peakRamMb, mb), spread("wall time", g.wallSeconds, secs), spread("CPU time", g.cpuSeconds, secs)),
        el("div", { class: "hists" },
          histogram("wall time", g.wallHistogram, data.wallEdgesSeconds, s => secs(s).replace(".0", "")),
          histogram("peak memory", g.ramHistogram, data.ramEdgesMb, mb))] : [],
      list,
      el("div", { class: "actions" },
        g.count > 1 ? [el("span", { class: "muted" }, `+${fmt(g.count - 1)} similar`), more] : [],
        g.state === "buried" ? el("button", { "data-action": "retry", onclick: () => act("retry", selection, `all ${similar}`) }, "Retry all") : [],
        ["dependent", "delayed", "ready", "buried"].includes(g.state) ? el("button", { class: "danger", "data-action": "remove", onclick: () => act("remove", selection, `all ${similar}`) }, "Remove all") : [],
        ["reserved", "running"].includes(g.state) ? el("button", { class: "danger", "data-action": "kill", onclick: () => act("kill", selection, `all ${similar}`) }, "Kill all") : []));
  });
  show(el("h1", {}, el("a", { href: "#/" }, "Rep groups"), " / ", data.repGroup), cards.length ? cards : el("p", { class: "muted" }, "no jobs"));
}

function field(name, value, cls) { return [el("dt", {}, name), el("dd", { class: cls || "", id: `job-${name.replace(/ /g, "-")}` }, value)]; }

function renderJob(data) {
  if (route.name !== "job") return;
  lastJob = data.job;
  const j = data.job;
  if (!j) { show(el("h1", {}, "No such job"), el("p", { class: "muted" }, route.arg)); return; }
  const over = j.peakRamMb > j.ramMb && j.ramMb > 0;
  const sel = { keys: [j.key] };
  const envBox = el("div", {});
  show(
    el("h1", {}, el("a", { href: "#/" }, "Rep groups"), " / ", el("a", { href: `#/group/${enc(j.repGroup)}` }, j.repGroup), " / job"),
    el("div", { class: "card" },
      el("div", { class: "head" }, el("span", { class: `pill ${j.state}`, id: "job-state" }, j.state), el("code", {}, j.cmd)),
      el("dl", { class: "fields" },
        field("directory", j.cwd), field("host", j.host || "–"), field("pid", j.pid ? String(j.pid) : "–"),
        field("memory", `${mb(j.peakRamMb)} peak of ${mb(j.ramMb)} requested${over ? " (over)" : ""}`, over ? "warn" : ""),
        field("wall time", secs(j.walltimeSeconds)), field("CPU time", secs(j.cpuTimeSeconds)),
        field("exit code", j.exited ? String(j.exitCode) : "–"), field("fail reason", j.failReason || "–"),
        field("attempts", String(j.attempts)), field("retries left", `${j.untilBuried} of ${j.retries}`),
        field("priority", String(j.priority)), field("key", j.key)),
      j.why && j.why.length ? el("div", {}, el("h2", {}, "Why it is not running"), el("ul", { id: "job-why" }, j.why.map(r => el("li", {}, r)))) : [],
      el("div", { class: "actions" },
        j.state === "buried" ? el("button", { "data-action": "retry", onclick: () => act("retry", sel, "this job") }, "Retry") : [],
        ["dependent", "delayed", "ready", "buried"].includes(j.state) ? el("button", { class: "danger", "data-action": "remove", onclick: () => act("remove", sel, "this job") }, "Remove") : [],
        ["reserved", "running"].includes(j.state) ? el("button", { class: "danger", "data-action": "kill", onclick: () => act("kill", sel, "this job") }, "Kill") : [],
        el("button", { onclick: async () => { const d = await api("GET", `/rest/v1/jobs/${j.key}?env=true&std=false`); envBox.replaceChildren(el("pre", { id: "job-env" }, (d.job.env || []).join("\n"))); } }, "Show environment"))),
    el("div", { class: "card" }, el("h2", {}, "stdout"), el("pre", { id: "job-stdout" }, j.stdout || "(none kept)"), el("h2", {}, "stderr"), el("pre", { id: "job-stderr" }, j.stderr || "(none kept)")),
    envBox,
    data.runs.length ? el("div", { class: "card" }, el("h2", {}, "Earlier runs"), el("table", {},
      el("thead", {}, el("tr", {}, ["ended", "exit", "peak memory", "wall time", "host"].map(h => el("th", {}, h)))),
      el("tbody", {}, data.runs.map(r => el("tr", {}, el("td", {}, r.endedAt ? new Date(r.endedAt).toLocaleString() : "–"), el("td", {}, String(r.exitCode)), el("td", {}, mb(r.peakRamMb)), el("td", {}, secs(r.walltimeSeconds)), el("td", {}, r.host)))))) : []);
}

function tick() {
  // A running job's wall time ticks on the page between snapshots.
  const j = lastJob, cell = document.getElementById("job-wall-time");
  if (route.name === "job" && j && j.state === "running" && j.startedAt && cell) cell.textContent = secs((Date.now() - Date.parse(j.startedAt)) / 1000);
}

function renderManager(data) {
  const m = data.manager;
  if (!m) return;
  document.getElementById("manager").textContent =
    `${m.mode} · scheduler ${m.scheduler} · ${m.runners} runner${m.runners === 1 ? "" : "s"} · ${m.managers} manager${m.managers === 1 ? "" : "s"} · ${m.deployment} · ${m.storage}`;
}

function connect() {
  source?.close();
  const q = new URLSearchParams({ filter: route.filter, offset: route.offset, limit: PAGE });
  if (route.name === "group") q.set("repgrp", route.arg);
  if (route.name === "job") q.set("job", route.arg);
  source = new EventSource(`/rest/v1/events?${q}`);
  const live = document.getElementById("live");
  source.onopen = () => live.classList.add("on");
  source.onerror = () => live.classList.remove("on");
  source.addEventListener("counts", e => { const d = JSON.parse(e.data); renderManager(d); renderOverview(d); });
  source.addEventListener("group", e => renderGroup(JSON.parse(e.data)));
  source.addEventListener("job", e => renderJob(JSON.parse(e.data)));
}

function navigate() {
  const [, name, ...rest] = location.hash.split("/");
  route.name = name === "group" || name === "job" ? name : "overview";
  route.arg = decodeURIComponent(rest.join("/"));
  lastJob = null;
  show(el("p", { class: "muted" }, "loading…"));
  connect();
}

window.addEventListener("hashchange", navigate);
ticker = setInterval(tick, 1000);
navigate();
