/* The call centre's page (/console/callcentre, docs/console.md): file a phone complaint (keyboard
 * first), search by case number or the caller's phone, the triage queue (oldest first, the time left
 * of each routing deadline, the late ones marked), and the case view with the actions of its state. */
"use strict";

Console.start(async (view) => {
  const { el, t } = Console;
  const ref = await Console.reference();
  const CASE_ID = /^\d{4}-[0-9A-Z]{6}$/;

  const filed = el("div", { id: "filed", "aria-live": "polite" });
  const searchBox = el("input", { id: "search-q", type: "search", autocomplete: "off", placeholder: "2612-ABC123 / 08x-xxx-xxxx" });
  const search = el("form", { id: "search", class: "search-form" },
    el("label", { for: "search-q" }, t("ค้นหาเลขเรื่องหรือเบอร์โทรผู้ร้อง", "Search a case number or the caller's phone")),
    el("div", { class: "inline" }, searchBox, el("button", { type: "submit", id: "search-go" }, t("ค้นหา", "Search"))));
  const results = el("div", { id: "results" });
  const queueBox = el("div", { id: "queue" });
  const panel = el("section", { id: "case", class: "case-panel", tabindex: "-1" },
    el("p", { class: "muted" }, t("เลือกเรื่องจากคิวหรือผลการค้นหา", "Pick a case from the queue or the search")));
  let current = null; // the id of the case shown

  const district = (code) => ref.districts.find((d) => d.code === code);
  /** A row of a list: the case number (a button that opens it), category, district, received, time left. */
  function row(c) {
    const cat = ref.category(c.category);
    const dist = c.district && district(c.district);
    return el("div", { class: ["queue-row", c.id === current && "selected"] },
      el("button", { type: "button", class: "link case-open", onclick: () => openCase(c.id) }, c.id),
      " ", c.state === "triage" ? null : [Console.stateEl(c.state), " "],
      el("span", {}, cat ? cat.name_th : c.category), cat ? [" ", el("span", { class: "en" }, cat.name_en)] : null,
      " · ", dist ? t(dist.th, dist.en) : el("span", { class: "muted" }, t("ไม่ทราบเขต", "no district")),
      " · ", el("span", { class: "muted" }, Console.fmtDate(c.received_at)),
      c.due ? [" · ", el("span", { class: "queue-due" }, Console.dueEl(c.due.at))] : null);
  }
  const listed = (doc) => ({ items: doc.complaints, next_cursor: doc.next_cursor });

  const queue = Console.pager(queueBox, {
    load: (cursor) => Console.api("GET", "/complaints", { query: { state: "triage", order: "oldest", limit: 25, cursor } }).then(listed),
    key: (c) => c.id,
    render: row,
    empty: t("ไม่มีเรื่องรอคัดแยก", "Nothing waiting for triage"),
  });
  let found = null;

  async function openCase(id, { focus = true } = {}) {
    current = id;
    for (const r of view.querySelectorAll(".queue-row")) r.classList.toggle("selected", r.querySelector(".case-open").textContent === id);
    try {
      const doc = await Console.api("GET", `/complaints/${encodeURIComponent(id)}`);
      if (current !== id) return; // another was picked meanwhile
      panel.replaceChildren(Console.caseView(doc, { ref, actions: (d) => CallCentre.actions(d, ref, acted) }));
      if (focus) {
        panel.focus({ preventScroll: true });
        panel.scrollIntoView({ block: "nearest" });
      }
    } catch (err) {
      Console.toastError(err);
    }
  }

  /** After an action: the queue (and the search) reload in place, the case again, a toast. */
  async function acted(answer, message) {
    Console.toast(message, "ok");
    await Promise.all([queue.refresh(), found && found.refresh(), openCase(answer.id)]);
  }

  function searchFor(q) {
    const load = CASE_ID.test(q.toUpperCase())
      ? () => Console.api("GET", `/complaints/${encodeURIComponent(q.toUpperCase())}`)
          .then((doc) => ({ items: [doc], next_cursor: null }))
          .catch((err) => (err.status === 404 ? { items: [], next_cursor: null } : Promise.reject(err)))
      : (cursor) => Console.api("GET", "/complaints", { query: { phone: q, limit: 25, cursor } }).then(listed);
    found = Console.pager(results, { load, key: (c) => c.id, render: row, empty: t("ไม่พบเรื่อง", "No case found") });
    return found.ready;
  }
  search.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (searchBox.value.trim()) searchFor(searchBox.value.trim());
  });

  const phone = CallCentre.phoneForm(ref, async (answer) => {
    filed.replaceChildren(el("div", { class: "flash ok filed" },
      t("บันทึกเรื่องแล้ว เลขที่เรื่อง", "Filed: case number"), " ", el("strong", { id: "filed-number", class: "big" }, answer.id)));
    Console.toast(t(`บันทึกเรื่อง ${answer.id} แล้ว`, `Case ${answer.id} filed`), "ok");
    phone.focus(); // ready for the next call
    await Promise.all([queue.refresh(), openCase(answer.id, { focus: false })]);
  });

  view.append(el("div", { class: "cc-grid" },
    el("div", { class: "cc-left" },
      el("section", { class: "card", id: "file" }, el("h2", {}, t("รับเรื่องทางโทรศัพท์", "A phone complaint")), filed, phone.form),
      el("section", { class: "card" }, search, results),
      el("section", { id: "triage" }, el("h2", {}, t("คิวรอคัดแยก (เก่าสุดก่อน)", "Triage queue (oldest first)"),
        " ", el("button", { type: "button", class: "secondary", id: "queue-refresh", onclick: () => queue.refresh() }, t("โหลดใหม่", "Refresh"))), queueBox)),
    el("div", { class: "cc-right" }, panel)));
  phone.focus();
});
