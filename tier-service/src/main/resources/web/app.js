// The agents' page: sign in with a token (kept in sessionStorage), look a customer up, read the tier, why, and
// what to offer. Plain JavaScript, no build step, no third-party code. Every value from the API is put in the
// page with textContent, never as HTML.
(function () {
  "use strict";

  const ID_RULE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
  const TOKEN_KEY = "gridtier.token";
  const LANG_KEY = "gridtier.lang";
  const I18N = window.GT_I18N;
  const $ = (id) => document.getElementById(id);

  const state = {
    token: sessionStorage.getItem(TOKEN_KEY),
    me: null,
    lang: localStorage.getItem(LANG_KEY) || ((navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en"),
    customer: null,      // the last customer answer
    history: [],         // timeline items shown
    historyCursor: null,
    listCursor: null,
    live: null,          // the last /ready answer
  };

  // ------------------------------------------------------------------ text

  function t(key, vars) {
    let s = key.split(".").reduce((o, k) => (o == null ? undefined : o[k]), I18N[state.lang]);
    if (s === undefined) s = key.split(".").reduce((o, k) => (o == null ? undefined : o[k]), I18N.en);
    if (s === undefined) return key.split(".").pop();
    if (vars) Object.keys(vars).forEach((k) => { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    document.querySelectorAll("[data-i18n-title]").forEach((el) => { el.title = t(el.dataset.i18nTitle); });
    document.querySelectorAll("[data-lang-toggle]").forEach((el) => { el.textContent = t("langToggle"); });
    document.title = "GridTier · " + t("appName");
    fillSelects();
    renderLive();
    if (state.customer) renderCustomer(state.customer);
    renderHistory();
  }

  function locale() { return state.lang === "zh" ? "zh-CN" : "en-GB"; }

  function fmtDate(iso, withTime) {
    if (!iso) return "";
    const d = new Date(iso);
    const opts = withTime
      ? {year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"}
      : {year: "numeric", month: "2-digit", day: "2-digit"};
    return d.toLocaleString(locale(), opts);
  }

  function ago(seconds) {
    if (seconds < 5) return t("justNow");
    if (seconds < 60) return t("secondsAgo", {n: Math.round(seconds)});
    if (seconds < 3600) return t("minutesAgo", {n: Math.round(seconds / 60)});
    if (seconds < 86400) return t("hoursAgo", {n: Math.round(seconds / 3600)});
    return t("daysAgo", {n: Math.round(seconds / 86400)});
  }

  function duration(fromIso, toIso) {
    const days = Math.max(0, Math.round((new Date(toIso) - new Date(fromIso)) / 86400000));
    if (days === 0) return t("enteredNow");
    if (days < 60) return t("days", {n: days});
    if (days < 730) return t("months", {n: Math.round(days / 30.4)});
    return t("years", {n: (days / 365.25).toFixed(1)});
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function fmtPts(v) { return (v > 0 ? "+" : v < 0 ? "−" : "") + Math.abs(v).toFixed(1); }

  // ------------------------------------------------------------------ API

  async function api(path) {
    const res = await fetch(path, {headers: {Authorization: "Bearer " + state.token, Accept: "application/json"}});
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (res.status === 401) {
      signOut(t("sessionExpired"));
      throw new Error("unauthorized");
    }
    return {status: res.status, body: body};
  }

  // ------------------------------------------------------------------ sign-in

  async function signIn(token) {
    const res = await fetch("/api/me", {headers: {Authorization: "Bearer " + token}});
    if (res.status === 200) return res.json();
    if (res.status === 401) throw new Error(t("badToken"));
    throw new Error(t("cannotReach"));
  }

  function showLogin(message) {
    $("app").hidden = true;
    $("login").hidden = false;
    $("login-error").hidden = !message;
    $("login-error").textContent = message || "";
    $("token").value = "";
    $("token").focus();
  }

  function showApp() {
    $("login").hidden = true;
    $("app").hidden = false;
    $("who").textContent = state.me.name + " · " + state.me.role;
    $("tab-lists").hidden = state.me.role === "agent";
    document.querySelector(".tabs").hidden = state.me.role === "agent";
    $("customer-id").focus();
    pollReady();
    const deepLink = new URLSearchParams(location.search).get("id");
    if (deepLink) { $("customer-id").value = deepLink; lookup(deepLink); }
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.me = null;
    state.customer = null;
    state.history = [];
    $("customer").hidden = true;
    $("empty").hidden = false;
    showLogin(message);
  }

  // ------------------------------------------------------------------ lookup

  function message(text, kind) {
    const m = $("message");
    m.hidden = !text;
    m.textContent = text || "";
    m.className = "banner " + (kind || "error");
  }

  async function lookup(rawId) {
    const id = rawId.trim();
    if (!ID_RULE.test(id)) {
      message(t("badRequest", {msg: id ? id : "—"}), "error");
      return;
    }
    const atLocal = $("at").value;
    let path = "/api/customers/" + encodeURIComponent(id);
    if (atLocal) path += "?at=" + encodeURIComponent(new Date(atLocal).toISOString());
    message(t("loading"), "info");
    let res;
    try { res = await api(path); } catch (e) { if (e.message !== "unauthorized") message(t("cannotReach")); return; }
    if (res.status === 200) {
      message(null);
      state.customer = res.body;
      renderCustomer(res.body);
      loadHistory(id, true);
      return;
    }
    $("customer").hidden = true;
    $("empty").hidden = true;
    state.customer = null;
    if (res.status === 404) message(res.body && res.body.error === "no_segment_at_time" ? res.body.message : t("notFound", {id: id}), "warn");
    else if (res.status === 400) message(t("badRequest", {msg: res.body ? res.body.message : ""}), "error");
    else if (res.status === 403) message(t("forbidden"), "error");
    else message(t("serverError"), "error");
  }

  function renderCustomer(c) {
    $("empty").hidden = true;
    $("customer").hidden = false;
    $("c-id").textContent = c.customerId;
    $("c-category").textContent = t("categories." + c.category);

    const tier = $("c-tier");
    tier.className = "tier-badge tier-" + c.valueTier;
    tier.replaceChildren(el("span", "tier-name", t("tiers." + c.valueTier)), el("span", "tier-code", c.valueTier));

    const flags = $("c-flags");
    flags.replaceChildren();
    if (c.flags.potentialKeyAccount) flags.append(el("span", "chip chip-potential", "★ " + t("potential")));
    flags.append(el("span", "chip chip-churn-" + c.flags.churnRisk, t("churn." + c.flags.churnRisk)));
    flags.append(el("span", "chip chip-credit-" + c.flags.creditRating, t("credit." + c.flags.creditRating)));

    $("c-since").textContent = t("tiers." + c.valueTier) + " " +
      t("tierSince", {date: fmtDate(c.tierSince), dur: duration(c.tierSince, c.freshness.asOf)});
    $("c-fresh").textContent = t("freshness", {asOf: fmtDate(c.freshness.asOf, true), ago: ago(c.freshness.receivedSecondsAgo)});
    $("c-model").textContent = t("model", {v: c.modelVersion});
    const hist = $("c-historical");
    hist.hidden = !c.at;
    hist.textContent = c.at ? t("historical", {at: fmtDate(c.at, true)}) : "";

    renderScript(c);
    renderScores(c);
    renderStale(c.view);
  }

  function renderScript(c) {
    const lines = [t("script." + c.valueTier)];
    if (c.flags.potentialKeyAccount) lines.push(t("script.potential"));
    if (c.flags.churnRisk !== "LOW") lines.push(t("script.churn" + c.flags.churnRisk));
    if (c.flags.creditRating !== "A") lines.push(t("script.credit" + c.flags.creditRating));
    const ol = $("c-script");
    ol.replaceChildren(...lines.map((s) => el("li", null, s)));
    $("c-actions").replaceChildren(...(c.recommendedActions || []).map((a) => el("li", null, a)));
  }

  function renderScores(c) {
    const box = $("c-scores");
    box.replaceChildren(
      scoreCard("value", t("scoreValue"), c.scores.value),
      scoreCard("churn", t("scoreChurn"), c.scores.churn),
      scoreCard("credit", t("scoreCredit"), c.scores.credit));
  }

  function scoreCard(kind, title, s) {
    const card = el("section", "card score score-" + kind);
    const head = el("header", "score-head");
    head.append(el("h3", null, title));
    const num = el("div", "score-num", s.score.toFixed(1));
    num.append(el("span", "of", " " + t("of100")));
    head.append(num);
    card.append(head);
    const gauge = el("div", "gauge");
    const fill = el("div", "gauge-fill");
    fill.style.width = Math.max(0, Math.min(100, s.score)) + "%";
    gauge.append(fill);
    card.append(gauge);

    const starting = s.factors.find((f) => f.name === "startingPoints");
    if (starting) card.append(el("p", "starting muted small", t("startingPoints", {n: starting.contribution.toFixed(0)})));
    const factors = s.factors.filter((f) => f.name !== "startingPoints");
    const max = Math.max(1, ...factors.map((f) => Math.abs(f.contribution)));
    const ul = el("ul", "factors");
    factors.forEach((f) => {
      const li = el("li", "factor " + (f.contribution > 0 ? "pos" : f.contribution < 0 ? "neg" : "zero"));
      li.dataset.factor = f.name;
      const fh = el("div", "f-head");
      fh.append(el("span", "f-name", t("factors." + f.name)), el("span", "f-pts", fmtPts(f.contribution)));
      const bar = el("div", "bar");
      const b = el("span");
      b.style.width = (Math.abs(f.contribution) / max * 100).toFixed(1) + "%";
      bar.append(b);
      li.append(fh, bar, el("p", "f-detail", f.detail));
      ul.append(li);
    });
    card.append(ul);
    return card;
  }

  // ------------------------------------------------------------------ history

  async function loadHistory(id, fresh) {
    if (fresh) { state.history = []; state.historyCursor = null; }
    let path = "/api/customers/" + encodeURIComponent(id) + "/history?limit=20";
    if (state.historyCursor) path += "&cursor=" + encodeURIComponent(state.historyCursor);
    let res;
    try { res = await api(path); } catch (e) { return; }
    if (res.status !== 200) { renderHistory(); return; }
    state.history = state.history.concat(res.body.items);
    state.historyCursor = res.body.nextCursor;
    renderHistory();
  }

  function renderHistory() {
    const ol = $("c-history");
    if (!ol) return;
    ol.replaceChildren();
    if (state.customer && state.history.length === 0) ol.append(el("li", "muted", t("noHistory")));
    state.history.forEach((h) => ol.append(historyItem(h)));
    $("more-history").hidden = !state.historyCursor;
  }

  function value(dim, v) {
    if (v === null || v === undefined) return "—";
    if (dim === "valueTier") return t("tiers." + v);
    if (dim === "churnRisk") return t("churnShort." + v);
    if (dim === "potentialKeyAccount") return t("bool." + v);
    return v;
  }

  const ALERT_DIMENSION = {
    KEY_ACCOUNT_ENTERED: "valueTier", KEY_ACCOUNT_EXITED: "valueTier", POTENTIAL_KEY_ACCOUNT_IDENTIFIED: "potentialKeyAccount",
    CHURN_RISK_RAISED: "churnRisk", CHURN_RISK_CLEARED: "churnRisk", CREDIT_DOWNGRADED: "creditRating", CREDIT_UPGRADED: "creditRating",
  };

  function historyItem(h) {
    const li = el("li", "tl-item tl-" + h.kind.toLowerCase() + (h.type ? " tl-" + h.type.toLowerCase() : ""));
    li.append(el("span", "tl-dot"));
    const body = el("div", "tl-body");
    body.append(el("time", "tl-time", fmtDate(h.time, true)));
    if (h.kind === "ALERT") {
      body.append(el("div", "tl-title", "⚑ " + t("alerts." + h.type)));
      const dim = ALERT_DIMENSION[h.type];
      body.append(el("div", "tl-sub", value(dim, h.previous) + " → " + value(dim, h.current)));
      if (h.recommendedAction) body.append(el("div", "tl-action", h.recommendedAction));
    } else if (h.kind === "FIRST_SEEN") {
      body.append(el("div", "tl-title", t("firstSeen")));
      const tier = (h.changes || []).find((c) => c.dimension === "valueTier");
      if (tier) body.append(el("div", "tl-sub", t("tiers." + tier.current)));
    } else {
      (h.changes || []).forEach((c) => body.append(el("div", "tl-title",
        t("changed", {dim: t("dims." + c.dimension), from: value(c.dimension, c.previous), to: value(c.dimension, c.current)}))));
    }
    li.append(body);
    return li;
  }

  // ------------------------------------------------------------------ staleness

  function renderStale(view) {
    const banner = $("stale");
    if (!view || !view.stale) { banner.hidden = true; return; }
    banner.hidden = false;
    banner.textContent = view.lagRecords > 0
      ? t("stale", {lag: view.lagRecords.toLocaleString(locale()), ago: ago(view.brokerContactSecondsAgo || 0)})
      : t("staleNoLag");
  }

  async function pollReady() {
    if (!state.token) return;
    try {
      const res = await fetch("/ready", {headers: {Accept: "application/json"}});
      state.live = await res.json();
    } catch (e) {
      state.live = null;
    }
    renderLive();
    if (state.live) renderStale(state.live);
    setTimeout(pollReady, 10000);
  }

  function renderLive() {
    const live = $("live");
    if (!live) return;
    const v = state.live;
    const mode = !v ? "offline" : (v.ready && !v.stale ? "live" : "lagging");
    live.className = "live live-" + mode;
    $("live-text").textContent = t(mode);
    live.title = v && v.lagRecords !== null && v.lagRecords !== undefined ? "lag " + v.lagRecords : "";
  }

  // ------------------------------------------------------------------ lists (supervisor, service)

  function fillSelects() {
    const opts = {
      valueTier: ["KEY_ACCOUNT", "HIGH_VALUE", "STANDARD", "LOW_VALUE"].map((v) => [v, t("tiers." + v)]),
      churnRisk: ["HIGH", "ELEVATED", "LOW"].map((v) => [v, t("churn." + v)]),
      creditRating: ["A", "B", "C"].map((v) => [v, t("credit." + v)]),
    };
    Object.keys(opts).forEach((name) => {
      const sel = document.querySelector("#list-form select[name=" + name + "]");
      const keep = sel.value;
      sel.replaceChildren(el("option", null, t("any")));
      sel.firstChild.value = "";
      opts[name].forEach(([v, label]) => { const o = el("option", null, label); o.value = v; sel.append(o); });
      sel.value = keep;
    });
  }

  async function loadList(fresh) {
    const form = $("list-form");
    const q = new URLSearchParams();
    ["valueTier", "churnRisk", "creditRating"].forEach((n) => { if (form[n].value) q.set(n, form[n].value); });
    if (form.potentialKeyAccount.checked) q.set("potentialKeyAccount", "true");
    q.set("limit", "50");
    if (fresh) { $("list-body").replaceChildren(); state.listCursor = null; }
    if (state.listCursor) q.set("cursor", state.listCursor);
    let res;
    try { res = await api("/api/segments?" + q.toString()); } catch (e) { return; }
    if (res.status !== 200) { message(res.status === 403 ? t("forbidden") : t("serverError")); return; }
    res.body.items.forEach((s) => {
      const tr = el("tr");
      tr.tabIndex = 0;
      const tierCell = el("td");
      tierCell.append(el("span", "mini-badge tier-" + s.valueTier, t("tiers." + s.valueTier)));
      tr.append(el("td", "mono", s.customerId), el("td", null, t("categories." + s.category)), tierCell,
        el("td", "churn-" + s.churnRisk, t("churnShort." + s.churnRisk) + (s.potentialKeyAccount ? " ★" : "")),
        el("td", null, s.creditRating),
        el("td", "mono", [s.scores.value, s.scores.churn, s.scores.credit].map((x) => x.toFixed(0)).join(" / ")),
        el("td", null, fmtDate(s.asOf)));
      const open = () => { switchTab("lookup"); $("customer-id").value = s.customerId; lookup(s.customerId); };
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
      $("list-body").append(tr);
    });
    state.listCursor = res.body.nextCursor;
    $("list-more").hidden = !state.listCursor;
    $("list-empty").hidden = $("list-body").children.length > 0;
  }

  function switchTab(name) {
    document.querySelectorAll(".tab").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
    $("view-lookup").hidden = name !== "lookup";
    $("view-lists").hidden = name !== "lists";
    if (name === "lists" && $("list-body").children.length === 0) loadList(true);
  }

  // ------------------------------------------------------------------ wiring

  document.querySelectorAll("[data-lang-toggle]").forEach((b) => b.addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem(LANG_KEY, state.lang);
    applyLanguage();
  }));

  $("login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const token = $("token").value.trim();
    $("login-button").disabled = true;
    try {
      state.me = await signIn(token);
      state.token = token;
      sessionStorage.setItem(TOKEN_KEY, token);
      showApp();
    } catch (err) {
      showLogin(err.message);
    } finally {
      $("login-button").disabled = false;
    }
  });

  $("search-form").addEventListener("submit", (e) => { e.preventDefault(); lookup($("customer-id").value); });
  $("more-history").addEventListener("click", () => { if (state.customer) loadHistory(state.customer.customerId, false); });
  $("logout").addEventListener("click", () => signOut(null));
  $("list-form").addEventListener("submit", (e) => { e.preventDefault(); loadList(true); });
  $("list-more").addEventListener("click", () => loadList(false));
  document.querySelectorAll(".tab").forEach((b) => b.addEventListener("click", () => switchTab(b.dataset.tab)));
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && document.activeElement.tagName !== "INPUT") { e.preventDefault(); $("customer-id").focus(); }
  });

  applyLanguage();
  if (state.token) {
    signIn(state.token).then((me) => { state.me = me; showApp(); }).catch(() => signOut(null));
  } else {
    showLogin(null);
  }
})();
