/* The admin's page (/console/admin): the year's holidays (GET /holidays?year=), a special holiday
 * added (PUT /holidays/{day} {name}), an official one cancelled (PUT {removed: true}) and either
 * taken back (DELETE /holidays/{day}), each answer saying how many running deadlines moved; and a
 * case opened by its number (GET /complaints/{id}) to watch its running deadline move; then the
 * reference data (admin-reference.js: agencies, categories, the change log). */
"use strict";

Console.start(async (view) => {
  const { el, t, fmtDate } = Console;
  const thisYear = Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Bangkok", year: "numeric" }).format(new Date()));
  let year = thisYear;
  let openCase = null; // the case number in the box, reloaded after each holiday change
  const reference = el("section", { id: "reference" });

  // --- a case and its running deadline ---------------------------------------------------------
  const caseInput = el("input", { id: "case-id", type: "search", placeholder: "2612-ABC123", pattern: "\\d{4}-[0-9A-Za-z]{6}", required: true });
  const caseBox = el("div", { id: "case-box" });
  let shownDue = null;

  async function loadCase() {
    if (!openCase) return;
    try {
      const c = await Console.api("GET", `/complaints/${encodeURIComponent(openCase)}`);
      const due = c.due;
      const was = shownDue && due && shownDue.at !== due.at && shownDue.id === c.id ? shownDue.at : null;
      shownDue = due ? { id: c.id, at: due.at } : null;
      const kind = due ? [Console.labels.due[due.kind] || due.kind, (Console.labels.due_en || {})[due.kind]] : null;
      caseBox.replaceChildren(
        el("dl", { class: "facts" },
          el("dt", {}, t("เรื่อง", "Case")), el("dd", { id: "case-number" }, c.id),
          el("dt", {}, t("สถานะ", "State")), el("dd", {}, el("span", { class: "state" }, Console.labels.state[c.state] || c.state)),
          el("dt", {}, t("หน่วยงาน", "Agency")), el("dd", {}, c.agency ? t(c.agency.name_th, c.agency.name_en) : "–"),
          el("dt", {}, t("กำหนดที่กำลังนับ", "Running deadline")),
          el("dd", {}, due
            ? [t(...kind), ": ", el("strong", { id: "case-due", dataset: { at: due.at } }, fmtDate(due.at)), " · ", Console.dueEl(due.at)]
            : el("span", { id: "case-due", class: "muted" }, t("ไม่มี", "none")),
          was ? el("div", { id: "case-due-was", class: "muted" }, t("เลื่อนจาก", "moved from"), " ", fmtDate(was)) : null)));
    } catch (err) {
      caseBox.replaceChildren(el("p", { class: "flash warn" }, t("เปิดเรื่องไม่ได้: " + err.message, "Cannot open the case: " + err.message)));
    }
  }

  // --- holidays -------------------------------------------------------------------------------
  const SOURCE = {
    official: ["วันหยุดราชการ", "official"],
    special: ["วันหยุดพิเศษ", "special"],
    removed: ["ยกเลิกแล้ว (เป็นวันทำงาน)", "cancelled: a working day"],
  };
  const weekday = (day, locale) =>
    new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "Asia/Bangkok" }).format(new Date(day + "T12:00:00+07:00"));
  const result = el("p", { id: "holiday-result", class: "flash ok", hidden: true });
  const yearLabel = el("strong", { id: "holiday-year" });
  const listBox = el("div", { id: "holidays" });
  const day = el("input", { id: "holiday-day", type: "date", required: true });
  const name = el("input", { id: "holiday-name", type: "text", maxlength: 200, required: true, placeholder: "วันหยุดพิเศษ (ครม.)" });
  let holidays = null;

  async function change(method, date, body, done) {
    try {
      const answer = await Console.api(method, `/holidays/${date}`, { body });
      const moved = answer.deadlines_moved;
      const words = t(`${done.th} ${fmtDate(date)}: เลื่อนกำหนดเวลาที่กำลังนับ ${moved} เรื่อง`,
        `${done.en} ${date}: ${moved} running deadline(s) moved`);
      result.replaceChildren(words.cloneNode(true));
      result.dataset.moved = String(moved);
      result.hidden = false;
      Console.toast(words, "ok");
      const y = Number(date.slice(0, 4));
      if (y !== year) showYear(y);
      else await redraw(date);
      await loadCase();
      return true;
    } catch (err) {
      Console.toastError(err);
      return false;
    }
  }

  /** Reload the list; the row acted on is drawn anew (a refresh keeps a focused row as it was). */
  async function redraw(date) {
    const acted = listBox.querySelector(`li[data-key="${date}"]`);
    if (acted && acted.contains(document.activeElement)) document.activeElement.blur();
    await holidays.refresh();
    const again = listBox.querySelector(`li[data-key="${date}"] button`);
    if (again && acted) again.focus();
  }

  function render(h) {
    const source = h.removed ? "removed" : h.source;
    const action = h.removed
      ? el("button", { type: "button", class: "secondary", onclick: () => change("DELETE", h.date, undefined, { th: "คืนวันหยุด", en: "Holiday restored" }) },
          t("คืนเป็นวันหยุด", "Restore the holiday"))
      : source === "special"
        ? el("button", { type: "button", class: "secondary", onclick: () => change("DELETE", h.date, undefined, { th: "เอาวันหยุดพิเศษออก", en: "Special holiday taken back" }) },
            t("เอาออก", "Take back"))
        : el("button", { type: "button", class: "secondary", onclick: () => change("PUT", h.date, { removed: true }, { th: "ยกเลิกวันหยุด", en: "Holiday cancelled" }) },
            t("ยกเลิกวันหยุดนี้", "Cancel this holiday"));
    return el("div", { class: ["holiday", source], dataset: { date: h.date, source } },
      el("strong", {}, fmtDate(h.date)), " ", el("span", { class: "muted" }, weekday(h.date, "th-TH"), " ", el("span", { class: "en" }, weekday(h.date, "en"))),
      " · ", el("span", { class: "holiday-name" }, h.name || "–"), " ",
      el("span", { class: ["badge", source] }, t(...SOURCE[source])), " ", action);
  }

  function showYear(y) {
    year = y;
    yearLabel.replaceChildren(`${y} (พ.ศ. ${y + 543})`);
    holidays = Console.pager(listBox, {
      load: () => Console.api("GET", "/holidays", { query: { year } }).then((doc) => ({ items: doc.holidays, next_cursor: null })),
      key: (h) => h.date,
      render,
      empty: t("ไม่มีวันหยุดในปีนี้", "No holiday this year"),
    });
  }

  view.append(
    el("section", { class: "card", id: "open-case" },
      el("h2", {}, t("เปิดดูเรื่อง", "Open a case")),
      el("form", { class: "inline-form", onsubmit: (e) => (e.preventDefault(), (openCase = caseInput.value.trim().toUpperCase()), (shownDue = null), loadCase()) },
        el("label", { for: "case-id" }, t("เลขที่เรื่อง", "Case number")), caseInput,
        el("button", { type: "submit", id: "case-open" }, t("เปิด", "Open"))),
      caseBox,
      el("p", { class: "muted" }, t("กำหนดเวลาที่นับเป็นวันทำการจะเลื่อนเมื่อวันหยุดเปลี่ยน",
        "Deadlines counted in business days move when the holidays change."))),
    el("h2", {}, t("วันหยุด", "Holidays")),
    el("form", { id: "holiday-add", class: "inline-form card", onsubmit: (e) => {
      e.preventDefault();
      change("PUT", day.value, { name: name.value.trim() }, { th: "เพิ่มวันหยุดพิเศษ", en: "Special holiday added" })
        .then((ok) => ok && (name.value = ""));
    } },
      el("label", { for: "holiday-day" }, t("วันที่", "Date")), day,
      el("label", { for: "holiday-name" }, t("ชื่อวันหยุด", "Name")), name,
      el("button", { type: "submit", id: "holiday-submit" }, t("เพิ่มวันหยุดพิเศษ", "Add a special holiday"))),
    result,
    el("div", { class: "inline-form" },
      el("button", { type: "button", class: "secondary", id: "year-prev", onclick: () => showYear(year - 1) }, "‹ ", t("ปีก่อน", "previous")),
      t("ปี", "Year"), yearLabel,
      el("button", { type: "button", class: "secondary", id: "year-next", onclick: () => showYear(year + 1) }, t("ปีถัดไป", "next"), " ›")),
    listBox,
    reference,
  );
  showYear(thisYear);
  await window.AdminReference.mount(reference);
});
