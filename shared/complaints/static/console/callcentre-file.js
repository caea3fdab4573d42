/* The call centre files a phone complaint (docs/console.md): keyboard first, the first field has the
 * focus, Enter moves on, Enter on the last field (or Ctrl+Enter) files. POST /complaints with
 * channel "phone" and an Idempotency-Key per complaint (a second Enter cannot file it twice). */
"use strict";

window.CallCentre = window.CallCentre || {};

(() => {
  const { el, t } = Console;
  const key = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));

  /** "13.7563, 100.5018" → {lat, lon}; empty → {}; anything else → null. */
  function coords(text) {
    const v = text.trim();
    if (!v) return {};
    const m = v.match(/^(-?\d+(?:\.\d+)?)\s*[,\s]\s*(-?\d+(?:\.\d+)?)$/);
    return m ? { lat: Number(m[1]), lon: Number(m[2]) } : null;
  }

  const field = (id, th, en, input) => el("div", { class: "field" }, el("label", { for: id }, t(th, en)), input);

  /** The form (an element); onFiled(answer of POST /complaints) once a complaint is filed. */
  CallCentre.phoneForm = function phoneForm(ref, onFiled) {
    const phone = el("input", { id: "file-phone", type: "tel", required: true, autocomplete: "off", placeholder: "08x-xxx-xxxx", inputmode: "tel", pattern: "[0-9+ \\-]{9,16}" });
    const name = el("input", { id: "file-name", autocomplete: "off" });
    const category = Console.picker(
      ref.categories.map((c) => ({ key: c.code, th: c.name_th, en: c.name_en })),
      { id: "file-category", label: t("หมวดเรื่อง", "Category"), required: true },
    );
    const description = el("textarea", { id: "file-description", rows: 2, required: true, maxlength: 4000 });
    const district = Console.picker(
      ref.districts.map((d) => ({ key: d.code, th: d.th, en: d.en })),
      { id: "file-district", label: t("เขต", "District"), placeholder: "พิมพ์ชื่อเขต · Type a district" },
    );
    const address = el("input", { id: "file-address", autocomplete: "off", maxlength: 500 });
    const where = el("input", { id: "file-coords", autocomplete: "off", placeholder: "13.7563, 100.5018" });
    const notify = el("input", { id: "file-notify", type: "checkbox" });
    const urgent = el("input", { id: "file-urgent", type: "checkbox" });
    const submit = el("button", { type: "submit", id: "file-submit" }, t("บันทึกเรื่อง", "File the complaint"));
    const form = el(
      "form",
      { id: "file-form", class: "file-form", novalidate: true },
      field("file-phone", "เบอร์โทรผู้ร้อง", "Caller's phone", phone),
      field("file-name", "ชื่อผู้ร้อง (ถ้ามี)", "Caller's name (optional)", name),
      category.field,
      field("file-description", "รายละเอียด", "What is wrong", description),
      district.field,
      field("file-address", "ที่อยู่ / จุดสังเกต", "Address or landmark", address),
      field("file-coords", "พิกัด (ถ้ามี)", "Lat, lon (optional)", where),
      el("label", { class: "check" }, notify, " ", t("ส่ง SMS แจ้งผู้ร้อง", "Send the caller SMS updates")),
      el("label", { class: "check" }, urgent, " ", t("เรื่องด่วน", "Urgent")),
      el("p", { class: "muted hint" }, t("Enter ไปช่องถัดไป · Ctrl+Enter บันทึก", "Enter: next field · Ctrl+Enter: file")),
      submit,
    );
    let idem = key(); // the same complaint sent again (a lost answer) gets the same case back
    let tried = null;
    Console.enterMovesOn(form);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const cat = category.resolve();
      const dist = district.resolve();
      const point = coords(where.value);
      where.setCustomValidity(point ? "" : "ละติจูด, ลองจิจูด · lat, lon");
      const bad = [phone, category.input, description, district.input, where].find((f) => !f.checkValidity());
      if (bad || !cat) return (bad || category.input).reportValidity();
      const body = {
        channel: "phone",
        category: cat.key,
        description: description.value.trim(),
        complainant: { phone: phone.value.trim(), name: name.value.trim() || null },
        location: { district: dist ? dist.key : null, address: address.value.trim() || null, ...point },
        notify: notify.checked,
        urgent: urgent.checked,
      };
      const json = JSON.stringify(body);
      if (tried !== null && tried !== json) idem = key(); // changed after a failure: another complaint
      tried = json;
      submit.disabled = true;
      try {
        const filed = await Console.api("POST", "/complaints", { body, headers: { "Idempotency-Key": idem } });
        idem = key(); // the next complaint gets a key of its own
        tried = null;
        form.reset();
        category.set(null);
        district.set(null);
        await onFiled(filed);
      } catch (err) {
        Console.toastError(err);
      } finally {
        submit.disabled = false;
      }
    });
    return { form, focus: () => phone.focus() };
  };
})();
