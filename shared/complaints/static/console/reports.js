/* The executive's page (/console/reports): the monthly report of a chosen month, shown in the page
 * (GET /reports/monthly/{month}?format=html, fetched with the staff token and put in a sandboxed
 * srcdoc iframe), its CSV (a Blob fetched the same way, behind a download link), and the fiscal
 * year's evaluation (GET /reports/fiscal-year/{year}) as a table.
 *
 * The iframe runs no script (sandbox without allow-scripts) and inherits the console's CSP, which
 * refuses the report's inline <style>: the page takes the style out and gives it to the frame as a
 * constructed stylesheet (CSSOM, allowed). The report's agency links scroll to the agency's row. */
"use strict";

Console.start((view) => {
  const { el, t } = Console;
  const BANGKOK = { timeZone: "Asia/Bangkok" };
  const today = new Intl.DateTimeFormat("en-CA", { ...BANGKOK, year: "numeric", month: "2-digit" }).format(new Date());
  const [year, month] = today.split("-").map(Number); // "2026-12"
  const lastMonth = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
  const fiscal = month >= 10 ? year + 1 : year; // the fiscal year runs October to September

  const picker = el("input", { type: "month", id: "report-month", value: lastMonth, required: true });
  const show = el("button", { type: "submit", id: "report-show" }, t("แสดงรายงาน", "Show the report"));
  const csv = el("p", { id: "report-csv" });
  const frameBox = el("div", { id: "report-box", class: "report-box" });
  const yearInput = el("input", { type: "number", id: "fiscal-year", value: fiscal, min: 2000, max: 2100 });
  const yearBox = el("div", { id: "fiscal-box", class: "scroll" });
  view.append(
    el("h2", {}, t("รายงานประจำเดือน", "Monthly report")),
    el(
      "form",
      { id: "report-form", class: "inline-form", onsubmit: (e) => (e.preventDefault(), showMonth()) },
      el("label", { for: "report-month" }, t("เดือน", "Month")),
      picker,
      show,
    ),
    csv,
    frameBox,
    el("h2", {}, t("ผลการประเมินประจำปีงบประมาณ", "The fiscal year's evaluation")),
    el(
      "form",
      { id: "fiscal-form", class: "inline-form", onsubmit: (e) => (e.preventDefault(), showYear()) },
      el("label", { for: "fiscal-year" }, t("ปีงบประมาณ (ค.ศ. ที่สิ้นสุด)", "Fiscal year (the CE year it ends in)")),
      yearInput,
      el("button", { type: "submit", id: "fiscal-show" }, t("แสดง", "Show")),
    ),
    yearBox,
  );

  let blobUrl = null;
  let refit = () => {};
  window.addEventListener("resize", () => refit());

  /** The API's error from a Response that is not 2xx, as an ApiError. */
  async function failure(res) {
    let error = {};
    try {
      error = (await res.json()).error || {};
    } catch (err) {
      error = {};
    }
    return new Console.ApiError(res.status, error.code || "http_" + res.status, error.message || res.statusText);
  }

  async function fetchAs(format, m) {
    const res = await Console.request("GET", `/reports/monthly/${m}`, { query: { format } });
    if (!res.ok) throw await failure(res);
    return res;
  }

  let asked = 0; // the latest month asked for: an earlier answer that comes later is dropped

  async function showMonth() {
    const m = picker.value;
    if (!m) return;
    const ticket = ++asked;
    try {
      csv.replaceChildren();
      const html = await (await fetchAs("html", m)).text();
      if (ticket !== asked) return;
      frameBox.replaceChildren(reportFrame(html, m));
      const blob = await (await fetchAs("csv", m)).blob();
      if (ticket !== asked) return;
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      blobUrl = URL.createObjectURL(blob);
      csv.replaceChildren(
        el("a", { href: blobUrl, download: `1555-report-${m}.csv`, id: "report-csv-link", class: "button secondary" },
          t("ดาวน์โหลด CSV", "Download the CSV")),
      );
    } catch (err) {
      if (ticket !== asked) return;
      frameBox.replaceChildren(el("p", { class: "flash warn", id: "report-error" }, t("ไม่มีรายงาน: " + err.message, "No report: " + err.message)));
    }
  }

  /** The report's page in a sandboxed iframe: its own style as a constructed sheet, sized to its content. */
  function reportFrame(html, m) {
    const css = [];
    const styleless = html.replace(/<style\b[^>]*>([\s\S]*?)<\/style>/gi, (_, text) => (css.push(text), ""));
    const doc = new DOMParser().parseFromString(styleless, "text/html"); // inert: nothing runs, nothing loads
    doc.querySelectorAll("script, style").forEach((node) => node.remove());
    const frame = el("iframe", {
      id: "report-frame",
      class: "report-frame",
      sandbox: "allow-same-origin", // no allow-scripts: the parent styles and sizes it
      title: `รายงานประจำเดือน ${m} · Monthly report ${m}`,
      srcdoc: "<!doctype html>\n" + doc.documentElement.outerHTML,
    });
    const fit = () => {
      const inner = frame.contentDocument;
      if (inner && inner.documentElement) frame.style.height = inner.documentElement.scrollHeight + "px";
    };
    refit = fit; // one listener on the window, for the frame shown
    frame.addEventListener("load", () => {
      const inner = frame.contentDocument;
      const sheet = new frame.contentWindow.CSSStyleSheet();
      sheet.replaceSync(css.join("\n") + "\ntr.hit, tr.hit .sticky { background: #fff4c2; }");
      inner.adoptedStyleSheets = [sheet];
      inner.addEventListener("click", (e) => {
        const a = e.target.closest && e.target.closest("a[href]");
        const hash = a && a.getAttribute("href").split("#")[1];
        if (!a || a.getAttribute("href").startsWith("http")) return;
        e.preventDefault(); // a link of the report's own page: here, the agency's row
        const row = hash && inner.getElementById(hash);
        inner.querySelectorAll("tr.hit").forEach((r) => r.classList.remove("hit"));
        if (row) row.classList.add("hit"), row.scrollIntoView({ block: "center" });
      });
      fit();
      frame.dataset.ready = "true";
    });
    return frame;
  }

  const pct = (v) => (v === null || v === undefined ? "–" : (v * 100).toFixed(1) + "%");
  const COLUMNS = [
    ["rank", "อันดับ", "rank", (a) => a.rank],
    ["agency", "หน่วยงาน", "agency", (a) => [a.name_th, " ", el("span", { class: "en" }, a.name_en || a.agency_id)]],
    ["score", "คะแนน", "score", (a) => (a.score === null || a.score === undefined ? "–" : a.score.toFixed(1))],
    ["ack_rate", "รับทราบทันเวลา", "ack on time", (a) => pct(a.ack_rate)],
    ["first_progress_rate", "ความคืบหน้าแรกทันเวลา", "first progress on time", (a) => pct(a.first_progress_rate)],
    ["checkpoint_rate", "รายงานตามรอบทันเวลา", "checkpoints on time", (a) => pct(a.checkpoint_rate)],
    ["reopened", "เปิดเรื่องใหม่", "reopened", (a) => a.reopened],
    ["audits_inconsistent", "ตรวจพบไม่ตรง / ตรวจ", "audits inconsistent / audits", (a) => `${a.audits_inconsistent} / ${a.audits}`],
  ];

  let yearAsked = 0;

  async function showYear() {
    const y = yearInput.value;
    const ticket = ++yearAsked;
    try {
      const doc = await Console.api("GET", `/reports/fiscal-year/${y}`);
      if (ticket !== yearAsked) return;
      const w = doc.weights || {};
      yearBox.replaceChildren(
        el("p", { class: "muted" },
          t(`ปีงบประมาณ ${doc.fiscal_year_be}: ${Console.fmtDate(doc.from)} – ${Console.fmtDate(doc.to)}`,
            `Fiscal year ${doc.fiscal_year}: ${doc.months.length} month(s) so far`)),
        el("table", { id: "fiscal-table", class: "table" },
          el("thead", {}, el("tr", {}, COLUMNS.map(([k, th, en]) => el("th", { dataset: { col: k } }, t(th, en))))),
          el("tbody", {}, doc.agencies.map((a) => el("tr", { dataset: { agency: a.agency_id } }, COLUMNS.map(([k, , , f]) => el("td", { class: k }, f(a))))))),
        el("p", { class: "muted" }, t("น้ำหนัก", "Weights"), ": ",
          Object.entries(w).map(([k, v]) => `${k} ${Math.round(v * 100)}%`).join(" · ")),
      );
    } catch (err) {
      if (ticket !== yearAsked) return;
      yearBox.replaceChildren(el("p", { class: "flash warn" }, t("ไม่มีผลการประเมิน: " + err.message, "No evaluation: " + err.message)));
    }
  }

  showMonth();
  showYear();
});
