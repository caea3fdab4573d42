/* The staff console's core: window.Console (docs/console.md has the API for the page authors).
 * Plain ES2020, no build step, no framework. Loaded first (deferred), then pager.js (Console.pager),
 * the auth script of the mode (window.ConsoleAuth), then the page's own script, which calls
 * Console.start(render).
 * Text always goes in as text (el): never innerHTML with data. */
"use strict";

(() => {
  const body = document.body;
  const config = JSON.parse(document.getElementById("console-config").textContent);
  const base = body.dataset.base || "";
  const pages = Object.fromEntries(config.pages.map((p) => [p.name, p])); // in the menu's order
  const PROPS = new Set(["value", "checked", "selected", "indeterminate"]);

  /** An answer of the API other than 2xx: status, the API's error code and message. */
  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.name = "ApiError";
      this.status = status;
      this.code = code;
    }
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child)); // a string becomes a text node
    }
    return node;
  }

  /** el("a", {href, class, onclick, dataset: {k: v}, style: {color}}, "text", child, [more]) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else if (k === "class") node.className = Array.isArray(v) ? v.filter(Boolean).join(" ") : v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k === "style" && typeof v === "object") Object.assign(node.style, v); // CSSOM: allowed by the CSP
      else if (PROPS.has(k)) node[k] = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    return append(node, children);
  }

  /** Thai first, then English: <span class="t">ไทย <span class="en" lang="en">English</span></span> */
  function t(th, en) {
    return el("span", { class: "t" }, th, en ? [" ", el("span", { class: "en", lang: "en" }, en)] : null);
  }

  /** base + path + ?query (null, undefined and "" values left out). */
  function url(path, query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query || {})) {
      if (v !== null && v !== undefined && v !== "") params.append(k, String(v));
    }
    const qs = params.toString();
    return base + path + (qs ? "?" + qs : "");
  }

  /** The console's own page: link("agency") → /console/agency; link("home") → /console. */
  function link(page) {
    return url(page === "home" ? "/console" : "/console/" + page);
  }

  /** fetch with the staff headers; a Response whatever its status (a 401 asks to sign in). */
  async function request(method, path, { body, query, headers } = {}) {
    const auth = await window.ConsoleAuth.headers(); // an object, or a Promise of one (a token refreshed)
    const init = { method, headers: { Accept: "application/json", ...auth, ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    let res;
    try {
      res = await fetch(url(path, query), init);
    } catch (err) {
      throw new ApiError(0, "network", "ติดต่อระบบไม่ได้ · Cannot reach the server");
    }
    if (res.status === 401) window.ConsoleAuth.signIn();
    return res;
  }

  /** The API's JSON answer, or an ApiError carrying its {"error": {"code", "message"}}. */
  async function api(method, path, options) {
    const res = await request(method, path, options);
    const text = await res.text();
    let doc = null;
    try {
      doc = text ? JSON.parse(text) : null;
    } catch (err) {
      doc = null;
    }
    if (!res.ok) {
      const error = (doc && doc.error) || {};
      throw new ApiError(res.status, error.code || "http_" + res.status, error.message || res.statusText);
    }
    return doc;
  }

  /** Time to a deadline in words: {th, en, late, minutes} (minutes < 0 when late). */
  function timeLeft(isoDeadline, now = new Date()) {
    const ms = new Date(isoDeadline).getTime() - new Date(now).getTime();
    const late = ms < 0;
    const total = Math.floor(Math.abs(ms) / 60000);
    const d = Math.floor(total / 1440);
    const h = Math.floor((total % 1440) / 60);
    const m = total % 60;
    const th = [d && `${d} วัน`, h && `${h} ชม.`, !d && m && `${m} นาที`].filter(Boolean).join(" ") || "ไม่ถึง 1 นาที";
    const en = [d && `${d} d`, h && `${h} h`, !d && m && `${m} min`].filter(Boolean).join(" ") || "under a minute";
    return {
      th: late ? `เกินกำหนด ${th}` : `เหลือ ${th}`,
      en: late ? `${en} late` : `${en} left`,
      late,
      minutes: late ? -total : total,
    };
  }

  /** timeLeft as an element (class "late" when past the deadline). */
  function dueEl(isoDeadline, now) {
    const left = timeLeft(isoDeadline, now);
    const node = t(left.th, left.en);
    if (left.late) node.classList.add("late");
    return node;
  }

  const DATE = { timeZone: "Asia/Bangkok", day: "numeric", month: "short", year: "numeric" };
  const DATE_TIME = { ...DATE, hour: "2-digit", minute: "2-digit" };
  /** "13 เม.ย. 2569 14:05" in Bangkok time (Buddhist era); a date alone ("2026-04-13") without time. */
  function fmtDate(iso, { time } = {}) {
    if (!iso) return "";
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
    const when = new Date(dateOnly ? iso + "T12:00:00+07:00" : iso);
    const withTime = time === undefined ? !dateOnly : time;
    return new Intl.DateTimeFormat("th-TH", withTime ? DATE_TIME : DATE).format(when);
  }

  /** A short message at the bottom (kind: "ok", "err", "info"); msg: text or an element. */
  function toast(msg, kind = "info") {
    const node = el("div", { class: ["toast", kind], role: kind === "err" ? "alert" : null }, msg);
    node.addEventListener("click", () => node.remove());
    document.getElementById("toasts").append(node);
    setTimeout(() => node.remove(), kind === "err" ? 12000 : 6000);
    return node;
  }

  /** An error (an ApiError or any) as an "err" toast, Thai first. */
  function toastError(err) {
    return toast(t("ทำรายการไม่สำเร็จ: " + err.message, "Failed: " + err.message), "err");
  }

  function drawBar(who) {
    const current = body.dataset.page;
    const nav = document.getElementById("nav");
    nav.replaceChildren(
      ...Object.entries(pages)
        .filter(([, p]) => p.roles.includes(who.role))
        .map(([name, p]) =>
          el("a", { href: link(name), "aria-current": name === current ? "page" : null }, t(p.th, p.en)),
        ),
    );
    const role = config.roles[who.role] || { th: who.role, en: who.role };
    const parts = [
      el("span", { id: "who-role", dataset: { role: who.role } }, t(role.th, role.en)),
      who.agency_id && el("span", { id: "who-agency" }, who.agency_id),
      who.user && el("span", { class: "en", id: "who-user" }, who.user),
      el("button", { type: "button", id: "sign-out", onclick: () => window.ConsoleAuth.signOut() }, t("ออกจากระบบ", "Sign out")),
    ];
    document.getElementById("who").replaceChildren(...parts.filter(Boolean));
  }

  /** Wait for the signed-in staff member, draw the menu, then render(view, identity) the page.
   * Nobody signed in: ConsoleAuth.signIn(). A page not for the role: said so, not rendered. */
  async function start(render) {
    let who = null;
    try {
      who = await window.ConsoleAuth.identity();
    } catch (err) {
      who = null;
    }
    if (!who) {
      window.ConsoleAuth.signIn();
      return;
    }
    Console.identity = who;
    drawBar(who);
    const view = document.getElementById("view");
    const page = pages[body.dataset.page];
    if (page && !page.roles.includes(who.role)) {
      view.replaceChildren(
        el("p", { class: "flash warn" }, t("หน้านี้ไม่ใช่สำหรับบทบาทของคุณ", "This page is not for your role.")),
        el("a", { href: link("home") }, t("กลับหน้าแรก", "Back to the console's home")),
      );
      return;
    }
    view.replaceChildren();
    try {
      await render(view, who);
    } catch (err) {
      toastError(err);
    }
  }

  window.Console = {
    config,
    base,
    page: body.dataset.page,
    auth: body.dataset.auth,
    signInUrl: body.dataset.signInUrl || "",
    clientId: body.dataset.clientId || "",
    pages,
    roles: config.roles,
    labels: config.labels,
    identity: null,
    ApiError,
    el,
    t,
    url,
    link,
    request,
    api,
    timeLeft,
    dueEl,
    fmtDate,
    toast,
    toastError,
    start,
  };
})();
