/* The agency page's actions on one case (docs/console.md, "Agency officer"), the same as the
 * e-mail's action page: acknowledge, report progress, complete with an "after" photo, hand back.
 * The photo goes straight to the bucket: POST /uploads gives a presigned POST and a key, the file
 * is posted there, and the completion names the key in `evidence_urls`.
 * window.AgencyActions.bar(case, {category, done(answer, action), failed(case, err, status)}). */
"use strict";

(() => {
  const { el, t } = Console;
  const TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic"];
  const MAX = 10 * 1024 * 1024;
  // What an agency may do in each state (the API decides; a refusal is shown as it comes).
  const ACTIONS = [
    { name: "acknowledge", th: "รับทราบเรื่อง", en: "Acknowledge", from: ["dispatched"] },
    { name: "progress", th: "รายงานความคืบหน้า", en: "Report progress", from: ["acknowledged", "in_progress"] },
    { name: "complete", th: "แจ้งแก้ไขเสร็จ", en: "Report completion", from: ["dispatched", "acknowledged", "in_progress"] },
    { name: "handback", th: "ส่งคืนศูนย์ 1555", en: "Hand back", from: ["dispatched", "acknowledged"] },
  ];

  function say(node, th, en, kind, detail) {
    node.replaceChildren(t(th, en), detail ? [": ", detail] : []);
    node.className = ["act-status", kind].filter(Boolean).join(" ");
  }

  function typeOf(file) {
    if (TYPES.includes(file.type)) return file.type;
    if (/\.hei[cf]$/i.test(file.name)) return "image/heic"; // some phones give HEIC no type
    return file.type || "";
  }

  /** The preview is the check that the file is a picture (HEIC is left to the server). */
  function preview(img, file, type) {
    return new Promise((resolve, reject) => {
      img.onload = () => resolve((img.hidden = false));
      img.onerror = () => {
        img.hidden = true;
        if (type === "image/heic") resolve();
        else reject(new Error("ไฟล์นี้ไม่ใช่รูปภาพ · this file is not an image"));
      };
      img.src = URL.createObjectURL(file);
    });
  }

  /** The file, checked and sent to the bucket: the key to name in the completion. */
  async function upload(file, img) {
    const type = typeOf(file);
    if (!TYPES.includes(type)) throw new Error("ส่งได้เฉพาะรูป JPEG, PNG, WebP หรือ HEIC · JPEG, PNG, WebP or HEIC only");
    if (file.size > MAX) throw new Error("รูปใหญ่เกิน 10 MB · the photo is over 10 MB");
    await preview(img, file, type);
    const ticket = await Console.api("POST", "/uploads", { body: { content_type: type, size: file.size } });
    const form = new FormData();
    for (const [k, v] of Object.entries(ticket.upload.fields)) form.append(k, v);
    form.append("file", file);
    const res = await fetch(ticket.upload.url, { method: "POST", body: form });
    if (!res.ok) throw new Error(`ส่งรูปไม่สำเร็จ (${res.status}) · the photo could not be sent`);
    return ticket.key;
  }

  /** The "after" photo field: {node, key()} where key() waits for a photo on its way. */
  function photoField(id, required) {
    const input = el("input", { type: "file", id, class: "after-photo", accept: TYPES.join(",") });
    const img = el("img", { class: "after-preview", alt: "รูปที่เลือก / the chosen photo", hidden: true });
    const status = el("p", { class: "act-status", "aria-live": "polite" });
    let pending = Promise.resolve(null);
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (!file) return (pending = Promise.resolve(null));
      say(status, "กำลังส่งรูป…", "sending the photo…");
      pending = upload(file, img).then(
        (key) => (say(status, "ส่งรูปแล้ว", "photo sent", "ok"), key),
        (err) => {
          say(status, "ส่งรูปไม่สำเร็จ", "please choose the photo again", "err", err.message);
          input.value = "";
          img.hidden = true;
          return null;
        },
      );
    });
    const label = required
      ? t("ถ่ายหรือเลือกรูปหลังแก้ไข (จำเป็น)", "a photo of the result (required)")
      : t("ถ่ายหรือเลือกรูปหลังแก้ไข", "a photo of the result, optional");
    return { node: [el("label", { for: id }, label), input, img, status], key: () => pending };
  }

  function noteField(id, th, en, required) {
    const box = el("textarea", { id, name: "note", rows: 3, maxlength: 2000, required: required || null });
    return [el("label", { for: id }, t(th, en)), box];
  }

  /** The form of an action that needs more than a click: its fields and how to read its body. */
  function fields(action, c, category) {
    const id = (name) => `${name}-${c.id}`;
    if (action === "progress") {
      const date = el("input", { type: "date", id: id("expected"), name: "expected_completion" });
      return {
        node: [
          noteField(id("progress-note"), "ความคืบหน้า", "progress", true),
          el("label", { for: id("expected") }, t("คาดว่าจะเสร็จ", "expected completion, optional")),
          date,
        ],
        body: async (form) => ({ note: form.elements.note.value, expected_completion: date.value || null }),
      };
    }
    if (action === "complete") {
      const photo = photoField(id("after-photo"), !!(category && category.after_photo));
      return {
        node: [noteField(id("complete-note"), "ผลการแก้ไข", "what was done", true), photo.node],
        body: async (form) => {
          const key = await photo.key();
          return { note: form.elements.note.value, evidence_urls: key ? [key] : [] };
        },
      };
    }
    return {
      node: noteField(id("handback-note"), "เหตุผลที่ไม่ใช่งานของหน่วยงาน", "why this is not yours", true),
      body: async (form) => ({ reason: form.elements.note.value }),
    };
  }

  async function send(c, action, body, status, hooks) {
    say(status, "กำลังบันทึก…", "saving…");
    try {
      const answer = await Console.api("POST", `/complaints/${encodeURIComponent(c.id)}/${action.name}`, { body });
      hooks.done(answer, action);
    } catch (err) {
      say(status, "ทำรายการไม่สำเร็จ", "Not done", "err", err.message); // the API's words (Thai and English)
      status.setAttribute("role", "alert");
      hooks.failed(c, err, status);
    }
  }

  /** The row's buttons, and the form of the action picked (one at a time). */
  function bar(c, hooks) {
    const allowed = ACTIONS.filter((a) => a.from.includes(c.state));
    const status = el("p", { class: "act-status", "aria-live": "polite" });
    const panel = el("div", { class: "act-panel" });
    const open = (action) => {
      const form = fields(action.name, c, hooks.category);
      const submit = el("button", { type: "submit", class: action.name === "handback" ? "secondary" : null }, t(action.th, action.en));
      const cancel = el("button", { type: "button", class: "secondary", onclick: () => panel.replaceChildren() }, t("ยกเลิก", "Cancel"));
      const node = el("form", { class: "act-form", dataset: { action: action.name } }, form.node, submit, cancel);
      node.addEventListener("submit", async (event) => {
        event.preventDefault();
        submit.disabled = true;
        await send(c, action, await form.body(node), status, hooks);
        submit.disabled = false;
      });
      // an [open] element keeps the row as it is, with what was typed, when the list refreshes
      panel.replaceChildren(el("details", { open: true, class: "act-details" }, el("summary", {}, t(action.th, action.en)), node));
      node.querySelector("textarea, input").focus();
    };
    const buttons = allowed.map((action) =>
      el(
        "button",
        {
          type: "button",
          class: ["act", action.name === "handback" ? "secondary" : null],
          dataset: { action: action.name },
          onclick: (event) => (action.name === "acknowledge" ? send(c, action, {}, status, hooks) : open(action)),
        },
        t(action.th, action.en),
      ),
    );
    return el("div", { class: "actions" }, buttons, panel, status);
  }

  window.AgencyActions = { ACTIONS, bar };
})();
