/* The call centre's actions on a case (docs/console.md), by its state: route to an agency (the
 * suggestion of the category and the district first), refer outside, close as not actionable, take a
 * referral back, reopen on a caller's behalf. Each posts to the API, then done(answer, message). */
"use strict";

window.CallCentre = window.CallCentre || {};

(() => {
  const { el, t } = Console;

  /** What the category's unit and the case's district suggest: {agency, section} | {external, channel} | null. */
  CallCentre.suggest = function suggest(doc, ref) {
    const category = ref.category(doc.category);
    if (!category) return null;
    const [unit, target] = category.unit.split(":");
    if (unit === "district") {
      const office = ref.districts.find((d) => d.code === doc.district);
      return office ? { agency: office.office, section: target } : { agency: null, section: target };
    }
    if (unit === "department") return { agency: ref.agency(target) || null, section: null };
    if (unit === "external") return { external: ref.agency(target) || null, channel: category.referral_channel || "letter" };
    return null;
  };

  const item = (a) => ({ key: a.id, th: a.name_th, en: a.name_en });
  const post = (doc, action, body) => Console.api("POST", `/complaints/${encodeURIComponent(doc.id)}/${action}`, { body });

  function box(id, th, en, open, ...content) {
    return el("details", { class: "action", id, open: open || null }, el("summary", {}, t(th, en)), ...content);
  }

  function submitting(form, run) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const button = form.querySelector("button[type=submit]");
      if (!form.reportValidity()) return;
      button.disabled = true;
      try {
        await run();
      } catch (err) {
        Console.toastError(err);
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  function routeForm(doc, ref, done) {
    const hint = CallCentre.suggest(doc, ref);
    const city = ref.agencies.filter((a) => a.kind !== "external");
    const agency = Console.picker(city.map(item), { id: "route-agency", label: t("หน่วยงาน", "Agency"), required: true });
    const section = el(
      "select",
      { id: "route-section" },
      Object.keys(Console.SECTIONS).map((s) => el("option", { value: s }, `${Console.SECTIONS[s][0]} · ${Console.SECTIONS[s][1]}`)),
    );
    const sectionField = el("div", { class: "field" }, el("label", { for: "route-section" }, t("ฝ่าย", "Section")), section);
    const note = el("input", { id: "route-note", maxlength: 2000, autocomplete: "off" });
    const showSection = () => (sectionField.hidden = !(agency.item() && ref.agency(agency.item().key).kind === "district"));
    if (hint && hint.agency) agency.set(item(hint.agency));
    if (hint && hint.section) section.value = hint.section;
    agency.input.addEventListener("change", showSection);
    agency.input.addEventListener("input", showSection);
    showSection();
    const said = hint && hint.agency
      ? el("p", { id: "route-suggested", class: "muted" }, t("แนะนำ", "Suggested"), ": ", hint.agency.name_th, " ", el("span", { class: "en" }, hint.agency.name_en), hint.section ? [" · ", Console.sectionLabel(hint.section)] : null)
      : el("p", { class: "muted" }, t("ไม่มีหน่วยงานที่แนะนำ: เลือกเอง", "No suggestion: pick an agency"));
    const back = hint && hint.agency && [...(doc.history || [])].reverse().find((e) => e.type === "handed_back" && e.by && e.by.agency_id === hint.agency.id);
    const warn = back && el("p", { class: "flash warn", id: "route-handed-back" }, t("หน่วยงานนี้เคยส่งคืน", "This agency handed it back"), ` (${Console.fmtDate(back.at)}): ${back.note || ""}`);
    const form = el("form", { class: "action-form" }, said, warn, agency.field, sectionField,
      el("div", { class: "field" }, el("label", { for: "route-note" }, t("หมายเหตุ (ถ้ามี)", "Note (optional)")), note),
      el("button", { type: "submit", id: "route-submit" }, t("ส่งหน่วยงาน", "Route")));
    Console.enterMovesOn(form);
    return submitting(form, async () => {
      const picked = agency.resolve();
      if (!picked) return agency.input.reportValidity();
      const isDistrict = ref.agency(picked.key).kind === "district";
      const answer = await post(doc, "route", { agency_id: picked.key, section: isDistrict ? section.value : null, note: note.value.trim() || null });
      done(answer, t(`ส่ง ${doc.id} ให้ ${picked.th} แล้ว`, `${doc.id} routed to ${picked.en}`));
    });
  }

  function referForm(doc, ref, done) {
    const hint = CallCentre.suggest(doc, ref);
    const outside = ref.agencies.filter((a) => a.kind === "external");
    const org = el("select", { id: "refer-agency", required: true }, outside.map((a) =>
      el("option", { value: a.id, selected: !!(hint && hint.external && hint.external.id === a.id) }, `${a.name_th} · ${a.name_en}${a.hotline ? " ☎ " + a.hotline : ""}`)));
    const channel = el("select", { id: "refer-channel" },
      el("option", { value: "hotline", selected: !!(hint && hint.channel === "hotline") }, "สายด่วน · hotline"),
      el("option", { value: "letter", selected: !!(hint && hint.channel === "letter") }, "หนังสือ · letter"));
    const reference = el("input", { id: "refer-reference", maxlength: 200, autocomplete: "off" });
    const form = el("form", { class: "action-form" },
      el("label", { for: "refer-agency" }, t("หน่วยงานภายนอก", "Outside organisation")), org,
      el("label", { for: "refer-channel" }, t("ช่องทาง", "Channel")), channel,
      el("label", { for: "refer-reference" }, t("เลขอ้างอิง", "Reference")), reference,
      el("button", { type: "submit", id: "refer-submit" }, t("ส่งต่อ", "Refer")));
    Console.enterMovesOn(form);
    return submitting(form, async () => {
      const external = { agency_id: org.value, channel: channel.value, reference: reference.value.trim() || null };
      const answer = await post(doc, "route", { external });
      done(answer, t(`ส่งต่อ ${doc.id} แล้ว`, `${doc.id} referred outside`));
    });
  }

  /** A form of one reason (close, reopen, return to triage). */
  function reasonForm(doc, action, id, [th, en], [doneTh, doneEn], done) {
    const reason = el("textarea", { id: id + "-reason", rows: 2, required: true, maxlength: 2000 });
    const form = el("form", { class: "action-form" },
      el("label", { for: id + "-reason" }, t("เหตุผล", "Reason")), reason,
      el("button", { type: "submit", id: id + "-submit" }, t(th, en)));
    Console.enterMovesOn(form);
    return submitting(form, async () => {
      const answer = await post(doc, action, { reason: reason.value.trim() });
      done(answer, t(`${doc.id} ${doneTh}`, `${doc.id} ${doneEn}`));
    });
  }

  /** The actions the call centre may take on the case now (elements for Console.caseView). */
  CallCentre.actions = function actions(doc, ref, done) {
    const s = doc.state;
    const hint = CallCentre.suggest(doc, ref);
    const out = [];
    if (s === "triage" || s === "dispatched") {
      out.push(box("act-route", s === "triage" ? "ส่งหน่วยงาน" : "เปลี่ยนหน่วยงาน", s === "triage" ? "Route to an agency" : "Re-route", !(hint && hint.external) && s === "triage", routeForm(doc, ref, done)));
    }
    if (s === "triage") {
      out.push(box("act-refer", "ส่งต่อหน่วยงานภายนอก", "Refer outside", !!(hint && hint.external), referForm(doc, ref, done)));
      out.push(box("act-close", "ปิดเรื่อง (ดำเนินการไม่ได้)", "Close: not actionable", false, reasonForm(doc, "close", "close", ["ปิดเรื่อง", "Close"], ["ปิดแล้ว", "closed"], done)));
    }
    if (s === "referred") {
      out.push(box("act-close", "ปิดเรื่อง (ภายนอกดำเนินการแล้ว)", "Close: dealt with outside", false, reasonForm(doc, "close", "close", ["ปิดเรื่อง", "Close"], ["ปิดแล้ว", "closed"], done)));
      out.push(box("act-return", "รับกลับมาคัดแยก", "Take back to triage", false, reasonForm(doc, "return-to-triage", "return", ["รับกลับ", "Take back"], ["กลับมาคัดแยกแล้ว", "back in triage"], done)));
    }
    if (s === "completed" || s === "closed") {
      out.push(box("act-reopen", "เปิดเรื่องใหม่ตามที่ผู้ร้องแจ้ง", "Reopen on the caller's behalf", false, reasonForm(doc, "reopen", "reopen", ["เปิดเรื่องใหม่", "Reopen"], ["เปิดใหม่แล้ว", "reopened"], done)));
    }
    return out;
  };
})();
