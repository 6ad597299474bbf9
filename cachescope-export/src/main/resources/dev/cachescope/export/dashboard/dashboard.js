// The cachescope dashboard: polls the JSON API and renders it. No framework, no other host.
"use strict";

(() => {
  // Relative, so the page works wherever it is mounted (/ here, /cachescope/ in a Spring app).
  const API = "api/metrics/cache/";
  const REFRESH_MS = 2000;
  const SERIES_EVERY_MS = 5000;
  const HOUR_S = 3600;
  const MIN_SPAN_S = 60;
  const OPERATIONS_SHOWN = 100;
  const SOURCES = ["memory", "disk", "fresh", "remote"];
  const PALETTE = ["#2a7de1", "#e08a1e", "#1f8a4c", "#8e5bd6", "#c0392b", "#16a2a2", "#b8860b", "#d63384"];

  const token = readToken();
  const series = new Map(); // cache name -> [{timestamp, hit_rate, operations_per_second, p99_ms}]
  let lastSeriesAt = 0;
  let seriesAfter = 0;
  let charts = null;

  function readToken() {
    const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
    if (match) {
      sessionStorage.setItem("cachescope-token", decodeURIComponent(match[1]));
      history.replaceState(null, "", window.location.pathname);
    }
    return sessionStorage.getItem("cachescope-token");
  }

  async function getJson(path) {
    const headers = token ? { Authorization: "Bearer " + token } : {};
    const response = await fetch(path, { headers, cache: "no-store" });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.error || "HTTP " + response.status);
    }
    return body;
  }

  // ---- formatting -------------------------------------------------------------------------

  const percent = (rate) => (rate === null || rate === undefined ? "–" : (rate * 100).toFixed(1) + "%");
  const count = (n) => Number(n).toLocaleString("en-US");

  function millis(ms) {
    if (ms === null || ms === undefined) return "–";
    if (ms < 1) return (ms * 1000).toFixed(0) + " µs";
    if (ms < 100) return ms.toFixed(1) + " ms";
    return Math.round(ms) + " ms";
  }

  function bytes(n, method) {
    if (method === "unknown" || n <= 0) return "unknown";
    const units = ["B", "KiB", "MiB", "GiB"];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (unit === 0 ? value : value.toFixed(1)) + " " + units[unit];
  }

  function duration(ms) {
    if (!ms) return "0 s";
    const s = ms / 1000;
    if (s < 60) return s.toFixed(1) + " s";
    if (s < 3600) return (s / 60).toFixed(1) + " min";
    return (s / 3600).toFixed(1) + " h";
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function insightCard(s) {
    const card = element("article", "card insight");
    card.dataset.cache = s.cache_name;
    card.append(element("h3", "", s.cache_name));
    const anomalies = Object.entries(s.trends || {}).filter(([, t]) => t.anomaly);
    if (anomalies.length) {
      const names = anomalies.map(([name, t]) => `${name} ${t.deviation > 0 ? "up" : "down"}`);
      card.append(element("p", "anomaly", "unusual: " + names.join(", ")));
    }
    if (s.sizing && s.sizing.hit_rate_at_size.some((p) => p.hit_rate !== null)) {
      const sizing = s.sizing;
      const table = element("table", "sizing");
      table.dataset.model = sizing.model;
      const head = element("tr");
      head.append(element("th", "", ""));
      const rates = element("tr", "model");
      rates.append(element("th", "", sizing.model));
      for (const point of sizing.hit_rate_at_size) {
        const th = element("th", "num", `${point.multiplier}×`);
        th.append(element("span", "size", count(point.size)));
        head.append(th);
        rates.append(element("td", "num", percent(point.hit_rate)));
      }
      table.append(head, rates);
      if (sizing.model !== "lru") {
        const lru = element("tr", "lru");
        lru.append(element("th", "", "lru"));
        for (const point of sizing.lru_hit_rate_at_size) {
          lru.append(element("td", "num", percent(point.hit_rate)));
        }
        table.append(lru);
      }
      const scroll = element("div", "scroll");
      scroll.append(table);
      const error =
        sizing.model_error === null || sizing.model_error === undefined
          ? ""
          : `; model error at 1× ${sizing.model_error >= 0 ? "+" : "−"}${Math.abs(sizing.model_error * 100).toFixed(1)} pts`;
      const hint = element(
        "p",
        "hint model-error",
        `hit rate by size, ${sizing.current_size_from} = 1×, ${sizing.model} policy${error}`
      );
      card.append(hint, scroll);
      const ttl = s.sizing.ttl;
      if (ttl && ttl.longer_ttl.length) {
        const best = ttl.longer_ttl[ttl.longer_ttl.length - 1];
        card.append(
          element(
            "p",
            "hint",
            `TTL ${ttl.ttl_seconds} s; ${best.multiplier}× would avoid ${percent(best.misses_avoided)} of misses`
          )
        );
      }
    }
    const hot = (s.hot_keys || []).slice(0, 5);
    if (hot.length) {
      const list = element("ol", "hot-keys");
      for (const h of hot) {
        const item = element("li");
        item.append(element("span", "key", h.key), element("span", "hint", ` ≈${count(h.estimated_lookups)}`));
        list.append(item);
      }
      card.append(element("p", "hint", "hot keys"), list);
    }
    if (card.children.length === 1) {
      card.append(element("p", "hint", "Nothing to advise yet: no keyed lookups were sampled."));
    }
    return card;
  }

  const clock = (epochSeconds) => new Date(epochSeconds * 1000).toLocaleTimeString([], { hour12: false });

  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  // ---- overview and caches ----------------------------------------------------------------

  function renderSummary(summary) {
    const totals = {
      total_caches: count(summary.total_caches),
      overall_hit_rate: percent(summary.total_requests === 0 ? null : summary.overall_hit_rate),
      average_hit_rate: percent(summary.total_caches === 0 ? null : summary.average_hit_rate),
      total_entries: count(summary.total_entries),
      total_memory_bytes: bytes(summary.total_memory_bytes),
      total_requests: count(summary.total_requests),
      total_time_saved_ms: duration(summary.total_time_saved_ms),
      total_tokens_saved:
        summary.total_tokens_saved === null ? "–" : count(summary.total_tokens_saved),
    };
    for (const [field, text] of Object.entries(totals)) {
      document.querySelector(`[data-total="${field}"]`).textContent = text;
    }

    const rows = [];
    for (const snapshot of Object.values(summary.caches)) {
      rows.push(cacheRow(snapshot));
    }
    document.querySelector("#caches tbody").replaceChildren(...rows);
    document
      .getElementById("insights")
      .replaceChildren(...Object.values(summary.caches).map(insightCard));
    updateCacheFilter(Object.keys(summary.caches));
    document.body.dataset.summaryTimestamp = summary.timestamp;
  }

  function cacheRow(s) {
    const tr = document.createElement("tr");
    tr.dataset.cache = s.cache_name;
    tr.dataset.gets = s.gets;
    tr.dataset.hits = s.hits;
    const get = (s.latency_ms || {}).get;
    const cells = [
      ["name", s.cache_name, ""],
      ["entries", count(s.total_entries), "num"],
      ["hit_rate", percent(s.gets === 0 ? null : s.hit_rate), "num"],
      ["gets", count(s.gets), "num"],
      ["p50", millis(get ? get.p50_ms : null), "num"],
      ["p99", millis(get ? get.p99_ms : null), "num"],
      ["evictions", count(s.evictions), "num"],
      ["memory", bytes(s.memory_usage_bytes, s.memory_method), "num"],
    ];
    for (const [field, text, className] of cells) {
      const td = cell(text, className);
      td.dataset.field = field;
      tr.append(td);
    }
    tr.append(sourcesCell(s.sources || {}));
    return tr;
  }

  function sourcesCell(sources) {
    const td = document.createElement("td");
    const bar = document.createElement("div");
    bar.className = "sources";
    const total = Object.values(sources).reduce((a, b) => a + b, 0);
    const parts = [];
    for (const source of SOURCES) {
      const n = sources[source] || 0;
      if (n > 0 && total > 0) {
        const span = document.createElement("span");
        span.className = "source-" + source;
        span.style.width = (100 * n) / total + "%";
        bar.append(span);
        parts.push(`${source} ${((100 * n) / total).toFixed(0)}%`);
      }
    }
    bar.title = parts.length ? parts.join(", ") : "no lookups yet";
    bar.setAttribute("role", "img");
    bar.setAttribute("aria-label", bar.title);
    td.append(bar);
    return td;
  }

  function updateCacheFilter(names) {
    const select = document.querySelector("#filters select[name=cache]");
    const known = new Set([...select.options].map((o) => o.value));
    for (const name of names) {
      if (!known.has(name)) select.append(new Option(name, name));
    }
  }

  // ---- charts -------------------------------------------------------------------------------

  function makeCharts() {
    const style = getComputedStyle(document.documentElement);
    Chart.defaults.color = style.getPropertyValue("--muted").trim();
    Chart.defaults.borderColor = style.getPropertyValue("--border").trim();
    Chart.defaults.font.family = style.fontFamily;
    const make = (id, yOptions) =>
      new Chart(document.getElementById(id), {
        type: "line",
        data: { datasets: [] },
        options: {
          animation: false,
          maintainAspectRatio: false,
          parsing: false,
          spanGaps: false,
          elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
          interaction: { mode: "nearest", intersect: false },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
          scales: {
            x: { type: "linear", ticks: { maxTicksLimit: 7, callback: (v) => clock(v) } },
            y: Object.assign({ beginAtZero: true }, yOptions),
          },
        },
      });
    return {
      hit_rate: make("chart-hit-rate", { max: 1, ticks: { callback: (v) => v * 100 + "%" } }),
      operations_per_second: make("chart-ops", {}),
      p99_ms: make("chart-p99", {}),
    };
  }

  function mergeSeries(update) {
    const horizon = Date.now() / 1000 - HOUR_S;
    for (const [name, points] of Object.entries(update)) {
      const kept = (series.get(name) || []).filter((p) => p.timestamp >= horizon);
      kept.push(...points);
      series.set(name, kept);
      if (points.length) {
        seriesAfter = Math.max(seriesAfter, points[points.length - 1].timestamp);
      }
    }
    for (const name of [...series.keys()]) {
      if (!(name in update)) series.delete(name);
    }
  }

  function renderCharts() {
    if (!charts) {
      if (typeof Chart === "undefined") return;
      charts = makeCharts();
    }
    const names = [...series.keys()];
    const times = names.flatMap((name) => series.get(name).map((p) => p.timestamp));
    const latest = Math.max(...times);
    // At least a minute on the time axis, so that a young series does not repeat one tick label.
    const earliest = times.length ? Math.min(Math.min(...times), latest - MIN_SPAN_S) : undefined;
    let plotted = 0;
    for (const [field, chart] of Object.entries(charts)) {
      chart.data.datasets = names.map((name, i) => {
        const data = series.get(name).map((p) => ({ x: p.timestamp, y: p[field] }));
        plotted += data.filter((d) => d.y !== null).length;
        const color = PALETTE[i % PALETTE.length];
        return { label: name, data, borderColor: color, backgroundColor: color };
      });
      chart.options.scales.x.min = earliest;
      chart.options.scales.x.max = times.length ? latest : undefined;
      chart.update("none");
    }
    document.body.dataset.chartPoints = plotted;
  }

  // ---- heatmaps ------------------------------------------------------------------------------

  let heatmap = { cache: null, after: 0, bounds: [], points: [] };
  const DARK = window.matchMedia("(prefers-color-scheme: dark)");
  // Colours come from the page's variables: draw again when the system's scheme changes.
  DARK.addEventListener("change", () => redrawHeatmaps());

  function updateHeatmapCaches(names) {
    const select = document.getElementById("heatmap-form").elements.cache;
    const known = new Set([...select.options].map((o) => o.value));
    for (const name of names) {
      if (!known.has(name)) select.append(new Option(name, name));
    }
    if (!select.value && names.length) select.value = names[0];
    return select.value;
  }

  async function refreshHeatmap(names) {
    const cache = updateHeatmapCaches(names);
    if (!cache) return;
    if (cache !== heatmap.cache) heatmap = { cache, after: 0, bounds: [], points: [] };
    const update = await getJson(
      API + encodeURIComponent(cache) + "/histogram?after=" + heatmap.after
    );
    const horizon = Date.now() / 1000 - HOUR_S;
    heatmap.bounds = update.bucket_upper_bounds_seconds;
    heatmap.points = heatmap.points.filter((p) => p.timestamp >= horizon).concat(update.points);
    if (update.points.length) heatmap.after = update.points[update.points.length - 1].timestamp;
    redrawHeatmaps();
  }

  /** Columns are window points (x: time), rows fixed buckets (y: fast at the bottom). */
  function drawHeatmap(canvas, field) {
    const style = getComputedStyle(document.documentElement);
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth, height = canvas.clientHeight;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const left = 44, bottom = 18, rows = heatmap.bounds.length + 1;
    const plotW = Math.max(1, width - left), plotH = Math.max(1, height - bottom);
    const points = heatmap.points;
    const latest = points.length ? points[points.length - 1].timestamp : Date.now() / 1000;
    const earliest = Math.min(points.length ? points[0].timestamp - points[0].seconds : latest, latest - MIN_SPAN_S);
    const x = (t) => left + ((t - earliest) / (latest - earliest)) * plotW;
    let max = 0;
    for (const p of points) for (const c of p[field] || []) max = Math.max(max, c);
    const accent = style.getPropertyValue("--accent").trim();
    let cells = 0;
    for (const p of points) {
      const counts = p[field];
      if (!counts) continue;
      const x0 = x(p.timestamp - p.seconds), x1 = x(p.timestamp);
      counts.forEach((count, row) => {
        if (!count) return;
        cells++;
        g.globalAlpha = 0.15 + 0.85 * (Math.log1p(count) / Math.log1p(max));
        g.fillStyle = accent;
        g.fillRect(x0, plotH - ((row + 1) * plotH) / rows, Math.max(1, x1 - x0), plotH / rows);
      });
    }
    g.globalAlpha = 1;
    g.fillStyle = style.getPropertyValue("--muted").trim();
    g.font = "11px " + style.fontFamily;
    g.textBaseline = "middle";
    for (const [label, bound] of [["1 µs", 1e-6], ["1 ms", 1e-3], ["1 s", 1]]) {
      const row = heatmap.bounds.indexOf(bound);
      if (row >= 0) g.fillText(label, 2, plotH - ((row + 1) * plotH) / rows);
    }
    g.textBaseline = "alphabetic";
    g.fillText(clock(earliest), left, height - 4);
    const end = clock(latest);
    g.fillText(end, width - g.measureText(end).width - 2, height - 4);
    g.strokeStyle = style.getPropertyValue("--border").trim();
    g.strokeRect(left, 0, plotW, plotH);
    canvas.dataset.cells = cells;
    canvas.dataset.scheme = DARK.matches ? "dark" : "light";
  }

  function redrawHeatmaps() {
    drawHeatmap(document.getElementById("heatmap-get"), "get");
    drawHeatmap(document.getElementById("heatmap-load"), "load");
  }

  // ---- alerts -------------------------------------------------------------------------------

  function renderAlerts(report) {
    const active = report.alerts.filter((a) => a.state !== "ok");
    const rows = active.map((a) => {
      const tr = document.createElement("tr");
      tr.dataset.rule = a.rule;
      tr.dataset.cache = a.cache;
      tr.dataset.state = a.state;
      const number = (v) => (v === null ? "–" : a.metric.endsWith("rate") ? percent(v) : v.toFixed(2));
      tr.append(
        cell(a.state, "alert-" + a.state),
        cell(a.rule),
        cell(a.cache),
        cell(a.metric),
        cell(number(a.value), "num"),
        cell(`${a.comparison} ${number(a.threshold)}`, "num"),
        cell(clock(a.since))
      );
      return tr;
    });
    for (const anomaly of report.anomalies) {
      const tr = document.createElement("tr");
      tr.dataset.cache = anomaly.cache;
      tr.dataset.state = "anomaly";
      tr.append(
        cell("anomaly", "alert-firing"),
        cell("trend"),
        cell(anomaly.cache),
        cell(anomaly.metric),
        cell(anomaly.value === null ? "–" : anomaly.value.toFixed(3), "num"),
        cell(`baseline ${anomaly.baseline === null ? "–" : anomaly.baseline.toFixed(3)}`, "num"),
        cell(`${anomaly.deviation.toFixed(1)} σ`)
      );
      rows.push(tr);
    }
    document.querySelector("#alerts tbody").replaceChildren(...rows);
    document.getElementById("alerts-empty").hidden = rows.length > 0;
  }

  // ---- operations ---------------------------------------------------------------------------

  function filters() {
    const form = document.getElementById("filters");
    return {
      cache: form.elements.cache.value,
      operation: form.elements.operation.value,
      result: form.elements.result.value,
    };
  }

  async function refreshOperations(cacheNames) {
    const f = filters();
    const names = f.cache ? [f.cache] : cacheNames;
    const query = new URLSearchParams({ limit: String(OPERATIONS_SHOWN) });
    if (f.operation) query.set("operation", f.operation);
    if (f.result) query.set("result", f.result);
    const lists = await Promise.all(
      names.map((name) => getJson(API + encodeURIComponent(name) + "/operations?" + query))
    );
    const operations = lists.flat().sort((a, b) => b.timestamp - a.timestamp).slice(0, OPERATIONS_SHOWN);
    const rows = operations.map((op) => {
      const tr = document.createElement("tr");
      tr.dataset.cache = op.cache_name;
      tr.dataset.operation = op.operation;
      tr.dataset.result = op.result;
      tr.append(
        cell(clock(op.timestamp)),
        cell(op.cache_name),
        cell(op.operation),
        cell(op.result, "result-" + op.result),
        cell(op.source || "–"),
        cell(op.duration_ms === null ? "not timed" : millis(op.duration_ms), "num"),
        cell(op.key !== null ? op.key : op.key_hash ? "#" + op.key_hash : "–", "key")
      );
      return tr;
    });
    document.querySelector("#operations tbody").replaceChildren(...rows);
    document.getElementById("operations-empty").hidden = rows.length > 0;
    document.body.dataset.operationsFilter = [f.cache, f.operation, f.result].join("|");
  }

  // ---- the loop -----------------------------------------------------------------------------

  let refreshing = false;

  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    const status = document.getElementById("status");
    try {
      const summary = await getJson(API + "summary");
      renderSummary(summary);
      const names = Object.keys(summary.caches);
      if (Date.now() - lastSeriesAt >= SERIES_EVERY_MS) {
        mergeSeries(await getJson(API + "series?after=" + seriesAfter));
        lastSeriesAt = Date.now();
        renderCharts();
        await refreshHeatmap(names);
      }
      await refreshOperations(names);
      renderAlerts(await getJson("api/alerts"));
      status.textContent = `live · updated ${clock(summary.timestamp)} · ${names.length} caches`;
      status.classList.remove("stale");
    } catch (e) {
      status.textContent = `cannot reach the API (${e.message}); retrying every ${REFRESH_MS / 1000} s`;
      status.classList.add("stale");
    } finally {
      refreshing = false;
    }
  }

  document.getElementById("filters").addEventListener("change", () => refresh());
  document.getElementById("heatmap-form").addEventListener("change", () => {
    lastSeriesAt = 0;
    refresh();
  });
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
