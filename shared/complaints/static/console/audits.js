/* The auditors' desk (/console/audits): the audits waiting (GET /audits), each with its case, the
 * completion's evidence (the note, the flags the "after" photos raised) and the before/after photos
 * side by side; a verdict (POST /audits/{id}) with a note takes the audit off the list in place.
 * GET /audits answers every waiting audit at once (no cursor): the list is one page. */
"use strict";

Console.start(async (view) => {
  const { el, t, fmtDate } = Console;
  const FLAGS = {
    far_from_site: ["ถ่ายห่างจากจุดที่แจ้ง", "taken far from the site"],
    taken_before_filing: ["ถ่ายก่อนวันที่แจ้งเรื่อง", "taken before the complaint was filed"],
  };
  const flagEl = (f) => el("span", { class: "badge flag", dataset: { flag: f } }, t(...(FLAGS[f] || [f, f])));
  const flagsEl = (flags) => flags.flatMap((f, i) => (i ? [" ", flagEl(f)] : [flagEl(f)]));

  // names of categories and districts (case.js, loaded once); without them the codes are shown
  const ref = await Console.reference().catch(() => null);
  const districtName = (code) => {
    const d = ref && ref.districts.find((x) => x.code === code);
    return d ? `เขต${d.th} ${d.en}` : `เขต/district ${code}`;
  };

  const count = el("span", { id: "audit-count" });
  const refresh = el("button", { type: "button", class: "secondary", id: "audits-refresh" }, t("โหลดใหม่", "Refresh"));
  const box = el("div", { id: "audits" });
  view.append(
    el("h2", {}, t("งานตรวจสอบที่รอผล", "Audits waiting for a verdict"), " ", count),
    el("p", { class: "muted" }, t(
      "เทียบหลักฐานการแก้ไขกับเรื่องที่แจ้ง แล้วบันทึกผล: ไม่สอดคล้องจะเปิดเรื่องใหม่ให้หน่วยงาน",
      "Compare the completion's evidence with the complaint and record a verdict: inconsistent reopens the case.",
    )),
    refresh,
    box,
  );

  /** The completion the audit is about: the event at its seq (1-based), else the last completion. */
  function completion(audit) {
    const history = audit.case.history || [];
    const at = history[audit.completed_seq - 1];
    return at && at.type === "completed" ? at : [...history].reverse().find((e) => e.type === "completed") || {};
  }

  function thumbs(photos, what) {
    if (!photos || !photos.length) return el("p", { class: "muted" }, t("ไม่มีรูป", "No photo"));
    return el("div", { class: "thumbs" }, photos.map((p, i) =>
      el("a", { href: p.url, target: "_blank", rel: "noopener" },
        el("img", { src: p.thumbnail_url || p.url, alt: `${what} ${i + 1}`, loading: "lazy" }))));
  }

  function checks(done) {
    return (done.evidence_checks || []).map((c) => el("li", { class: "muted" },
      c.distance_m === null || c.distance_m === undefined ? null
        : t(`ห่างจากจุดที่แจ้ง ${c.distance_m.toLocaleString("th-TH")} ม.`, `${c.distance_m.toLocaleString("en")} m from the site`),
      c.taken_at ? [" · ", t("ถ่ายเมื่อ", "taken"), " ", fmtDate(c.taken_at)] : null));
  }

  function render(audit) {
    const c = audit.case;
    const done = completion(audit);
    const cat = ref && ref.category(c.category);
    const place = [c.location && c.location.address, c.district && districtName(c.district)].filter(Boolean).join(" · ");
    const flags = audit.flags && audit.flags.length ? audit.flags : [];
    const note = el("textarea", { name: "note", maxlength: 2000, "aria-label": "บันทึก · Note" });
    // a note being written keeps its row as it is through a refresh (the pager's "keep")
    note.addEventListener("input", () => note.closest("li")?.classList.toggle("keep", note.value.trim() !== ""));
    const buttons = [
      el("button", { type: "button", class: "verdict-consistent", onclick: () => decide(audit, "consistent", note, buttons) },
        t("สอดคล้อง", "Consistent")),
      el("button", { type: "button", class: "secondary verdict-inconsistent", onclick: () => decide(audit, "inconsistent", note, buttons) },
        t("ไม่สอดคล้อง (เปิดเรื่องใหม่)", "Inconsistent (reopens the case)")),
    ];
    return el("article", { class: "audit", dataset: { audit: audit.id, case: c.id } },
      el("h3", {}, el("span", { class: "case-id" }, c.id), " · ",
        cat ? t(cat.name_th, cat.name_en) : c.category, " ",
        flagsEl(flags)),
      el("dl", { class: "facts" },
        el("dt", {}, t("เรื่อง", "Complaint")), el("dd", { class: "description" }, c.description),
        el("dt", {}, t("สถานที่", "Place")), el("dd", { class: "place" }, place || "–"),
        el("dt", {}, t("หน่วยงาน", "Agency")), el("dd", { class: "agency" },
          c.agency ? t(c.agency.name_th, c.agency.name_en) : audit.agency_id),
        el("dt", {}, t("รับเรื่อง", "Received")), el("dd", {}, fmtDate(c.received_at)),
        el("dt", {}, t("แจ้งแก้ไขเสร็จ", "Completed")), el("dd", {}, fmtDate(done.at)),
        el("dt", {}, t("ผลการแก้ไข", "What was done")), el("dd", { class: "completion-note" }, done.note || "–"),
        el("dt", {}, t("ข้อสังเกต", "Flags")), el("dd", { class: "flags" },
          flags.length ? flagsEl(flags) : t("ไม่มี", "none")),
        el("dt", {}, t("สุ่มตรวจเมื่อ", "Drawn")), el("dd", {}, fmtDate(audit.drawn_at))),
      el("div", { class: "photo-pair" },
        el("section", { class: "photos-before" }, el("h4", {}, t("ก่อน", "Before")), thumbs(c.photos, "ก่อน · before")),
        el("section", { class: "photos-after" }, el("h4", {}, t("หลัง", "After")), thumbs(done.evidence, "หลัง · after"),
          el("ul", { class: "checks" }, checks(done)))),
      el("div", { class: "verdict" },
        el("label", {}, t("บันทึก (ต้องระบุเมื่อไม่สอดคล้อง)", "Note (needed for inconsistent)"), note),
        buttons));
  }

  async function decide(audit, verdict, note, buttons) {
    const text = note.value.trim();
    if (verdict === "inconsistent" && !text) {
      note.focus();
      Console.toast(t("โปรดระบุสิ่งที่ไม่ตรงกับที่รายงาน", "Say what does not match the report"), "err");
      return;
    }
    buttons.forEach((b) => (b.disabled = true));
    try {
      const answer = await Console.api("POST", `/audits/${encodeURIComponent(audit.id)}`, {
        body: { verdict, note: text || null },
      });
      Console.toast(verdict === "consistent"
        ? t(`บันทึกผลแล้ว: ${answer.case_id} สอดคล้อง`, `Recorded: ${answer.case_id} consistent`)
        : t(`บันทึกผลแล้ว: ${answer.case_id} ไม่สอดคล้อง เปิดเรื่องใหม่`, `Recorded: ${answer.case_id} inconsistent, reopened`), "ok");
      const row = list.list.querySelector(`[data-key="${CSS.escape(audit.id)}"]`);
      if (row) row.remove(); // gone at once; the refresh keeps the others as they are (a note being typed too)
      await list.refresh();
    } catch (err) {
      Console.toastError(err);
      buttons.forEach((b) => (b.disabled = false));
    }
  }

  const list = Console.pager(box, {
    load: () => Console.api("GET", "/audits").then((doc) => {
      count.replaceChildren(`(${doc.audits.length})`);
      return { items: doc.audits, next_cursor: null }; // one page: GET /audits has no cursor
    }),
    key: (a) => a.id,
    render,
    empty: t("ไม่มีงานตรวจสอบที่รอผล", "No audit is waiting"),
  });
  refresh.addEventListener("click", () => list.refresh());
});
