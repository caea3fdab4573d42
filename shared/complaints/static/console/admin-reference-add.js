/* The admin's reference data, the add forms (docs/console.md, "Administration"): a department
 * (DEPT-…) or an outside organisation (EXT-…): POST /agencies; a category: POST /categories. Loaded
 * after admin-reference.js (its kit); the API judges the values and a refusal is shown in its words. */
"use strict";

(() => {
  const { el, t } = Console;
  const { reload, unitFields, field, input, check, statusLine, send } = window.AdminReference.kit;
  const text = (node) => node.value.trim();
  const orNull = (node) => text(node) || null;

  function agencyAdd() {
    const id = input("new-agency-id", { required: true, placeholder: "DEPT-PARK, EXT-TOT" });
    id.addEventListener("input", () => (id.value = id.value.toUpperCase()));
    const kind = el("select", { id: "new-agency-kind" },
      el("option", { value: "department" }, "สำนัก · Department (DEPT-…)"),
      el("option", { value: "external" }, "หน่วยงานภายนอก · Outside organisation (EXT-…)"));
    const nameTh = input("new-agency-name-th", { required: true, lang: "th" });
    const nameEn = input("new-agency-name-en", { required: true, lang: "en" });
    const email = input("new-agency-email", { required: true, inputmode: "email" });
    const head = input("new-agency-head-email", { inputmode: "email" });
    const hotline = input("new-agency-hotline", { inputmode: "tel" });
    const status = statusLine("new-agency-status");
    const form = el("form", { id: "agency-add-form", onsubmit: (e) => {
      e.preventDefault();
      const body = { id: text(id), kind: kind.value, name_th: text(nameTh), name_en: text(nameEn), email: text(email),
        head_email: orNull(head), hotline: orNull(hotline) };
      send(form, status, "POST", "/agencies", body, async () => {
        form.reset();
        await reload();
      });
    } },
      field("new-agency-id", "รหัสหน่วยงาน", "Id", id), field("new-agency-kind", "ประเภท", "Kind", kind),
      field("new-agency-name-th", "ชื่อภาษาไทย", "Thai name", nameTh), field("new-agency-name-en", "ชื่อภาษาอังกฤษ", "English name", nameEn),
      field("new-agency-email", "อีเมลรับเรื่อง", "E-mail", email), field("new-agency-head-email", "อีเมลหัวหน้า (ไม่บังคับ)", "Head's e-mail (optional)", head),
      field("new-agency-hotline", "สายด่วน (ไม่บังคับ)", "Hotline (optional)", hotline),
      el("button", { type: "submit", id: "new-agency-save" }, t("เพิ่มหน่วยงาน", "Add the agency")), status);
    return el("details", { id: "agency-add", class: "card" }, el("summary", {}, t("เพิ่มหน่วยงาน", "Add an agency")), form);
  }

  function categoryAdd() {
    const code = input("new-category-code", { required: true, placeholder: "park_bench" });
    const nameTh = input("new-category-name-th", { required: true, lang: "th" });
    const nameEn = input("new-category-name-en", { required: true, lang: "en" });
    const units = unitFields("new-category");
    const urgent = check("new-category-urgent", "เร่งด่วน", "Urgent");
    const photo = check("new-category-photo", "ต้องมีรูปหลังแก้ไข", "A photo of the result is required");
    const status = statusLine("new-category-status");
    const form = el("form", { id: "category-add-form", onsubmit: (e) => {
      e.preventDefault();
      const unit = units.unit.value;
      const body = { code: text(code), name_th: text(nameTh), name_en: text(nameEn), unit, urgent: urgent.box.checked,
        after_photo: photo.box.checked, referral_channel: unit.startsWith("external:") ? units.referral.value : null };
      send(form, status, "POST", "/categories", body, async () => {
        form.reset();
        units.toggle();
        await reload();
      });
    } },
      field("new-category-code", "รหัส", "Code", code),
      field("new-category-name-th", "ชื่อภาษาไทย", "Thai name", nameTh), field("new-category-name-en", "ชื่อภาษาอังกฤษ", "English name", nameEn),
      units.fields, urgent.label, photo.label,
      el("button", { type: "submit", id: "new-category-save" }, t("เพิ่มประเภทเรื่อง", "Add the category")), status);
    return el("details", { id: "category-add", class: "card" }, el("summary", {}, t("เพิ่มประเภทเรื่อง", "Add a category")), form);
  }

  window.AdminReference.addForms = () => [agencyAdd(), categoryAdd()];
})();
