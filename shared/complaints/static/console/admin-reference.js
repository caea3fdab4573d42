/* The admin's reference data on /console/admin (docs/console.md, "Administration"): an agency's
 * e-mail, head e-mail and hotline (PATCH /agencies/{id}), a category's routing unit, urgency and
 * referral channel (PATCH /categories/{code}), and the change log (GET /reference/changes, newest
 * first, a Console.pager). The data in force comes from GET /agencies and GET /categories, read
 * again after each change. The add forms are admin-reference-add.js. A refusal is shown next to
 * its form in the API's words; nothing is checked here that the API checks.
 * window.AdminReference.mount(box) → Promise; AdminReference.kit: what the add forms share. */
"use strict";

(() => {
  const { el, t, fmtDate } = Console;
  const data = { agencies: [], categories: [] };
  const listeners = []; // called after the data is read again (the pickers and the unit lists redrawn)
  let log = null; // the change log's pager

  async function reload() {
    const [a, c] = await Promise.all([Console.api("GET", "/agencies"), Console.api("GET", "/categories")]);
    data.agencies = a.agencies;
    data.categories = c.categories;
    listeners.forEach((f) => f());
  }
  const option = (value, text) => el("option", { value }, text);

  /** The routing units: triage, the district office's four sections, the departments, the outside organisations. */
  function fillUnits(select) {
    const keep = select.value;
    const of = (kind) =>
      data.agencies.filter((a) => a.kind === kind).map((a) => option(`${kind}:${a.id}`, `${a.name_th} · ${a.name_en} (${a.id})`));
    select.replaceChildren(
      option("triage", "ศูนย์ 1555 คัดแยกเอง · Triage by the call centre"),
      el("optgroup", { label: "สำนักงานเขตของพื้นที่ · The district office of the place" },
        Object.entries(Console.SECTIONS).map(([s, [th, en]]) => option(`district:${s}`, `${th} · ${en}`))),
      el("optgroup", { label: "สำนัก · Departments" }, of("department")),
      el("optgroup", { label: "หน่วยงานภายนอก (ส่งต่อ) · Outside organisations (referral)" }, of("external")),
    );
    if (keep) select.value = keep;
  }

  /** A unit select and its referral channel, shown for an outside organisation only. */
  function unitFields(prefix) {
    const unit = el("select", { id: prefix + "-unit", required: true });
    const referral = el("select", { id: prefix + "-referral" },
      option("hotline", "สายด่วน · hotline"), option("letter", "หนังสือ · letter"));
    const referralField = el("div", { class: "field", hidden: true },
      el("label", { for: prefix + "-referral" }, t("ส่งต่อทาง", "Referred by")), referral);
    const toggle = () => (referralField.hidden = !unit.value.startsWith("external:"));
    unit.addEventListener("change", toggle);
    fillUnits(unit);
    listeners.push(() => fillUnits(unit));
    return {
      unit, referral, toggle,
      fields: [el("div", { class: "field" }, el("label", { for: prefix + "-unit" }, t("หน่วยที่รับเรื่อง", "Routing unit")), unit), referralField],
    };
  }

  const field = (id, th, en, input) => el("div", { class: "field" }, el("label", { for: id }, t(th, en)), input);
  const input = (id, attrs) => el("input", { id, autocomplete: "off", ...attrs });
  const check = (id, th, en) => {
    const box = el("input", { id, type: "checkbox" });
    return { box, label: el("label", { class: "check", for: id }, box, t(th, en)) };
  };
  const statusLine = (id) => el("p", { id, class: "act-status", role: "status", "aria-live": "polite" });
  function say(node, kind, ...words) {
    node.className = "act-status " + kind;
    node.replaceChildren(...words);
  }

  /** Send a change; then done(answer) (the data read again, the form filled in anew), the change log
   * reloaded, and "Saved" said last. A refusal is said in `status`, in the API's words. */
  async function send(form, status, method, path, body, done) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(status, "", t("กำลังบันทึก…", "Saving…"));
    let answer = null;
    try {
      answer = await Console.api(method, path, { body });
    } catch (err) {
      say(status, "err", t("ไม่ได้บันทึก", "Not saved"), ": ", el("span", { class: "api-message" }, err.message));
      button.disabled = false;
      return null;
    }
    try {
      await done(answer);
      if (answer.change && log) await log.refresh();
    } catch (err) {
      Console.toastError(err); // saved: only reading it back failed
    } finally {
      button.disabled = false;
    }
    const words = answer.change ? t("บันทึกแล้ว", "Saved") : t("ไม่มีอะไรเปลี่ยน", "Nothing changed");
    say(status, "ok", words);
    Console.toast(words.cloneNode(true), "ok");
    return answer;
  }

  /** A searchable picker in `slot`, drawn again with the data; onPick(entity) when one is chosen. */
  function pickerIn(slot, id, label, entries, keyOf, onPick) {
    let p = null;
    let picked = null;
    function draw() {
      const items = entries().map((x) => ({ key: keyOf(x), th: x.name_th, en: x.name_en }));
      p = Console.picker(items, { id, label, required: true });
      slot.replaceChildren(p.field);
      const chosen = () => {
        const item = p.item();
        if (item && item.key !== picked) onPick((picked = item.key));
      };
      ["input", "change", "blur"].forEach((e) => p.input.addEventListener(e, chosen));
      if (picked) p.set(items.find((i) => i.key === picked));
    }
    draw();
    listeners.push(draw);
    return {
      /** What was typed, resolved now: the key picked (its fields filled in when it is another), or null. */
      resolve() {
        const item = p.resolve();
        if (item && item.key !== picked) onPick((picked = item.key));
        return item ? picked : null;
      },
      input: () => p.input,
    };
  }

  /** An edit form of an agency or a category (`kind`): pick one (fill(entity) shows its fields), then
   * PATCH what changes(entity) gives; the answer's entity is shown again. */
  function editor(kind, { title, label, entries, keyOf, path, fill, changes, fields }) {
    const slot = el("div");
    const status = statusLine(kind + "-status");
    let current = null;
    const show = (key) => {
      current = entries().find((x) => keyOf(x) === key);
      fill(current);
      say(status, "");
    };
    const pick = pickerIn(slot, "ref-" + kind, label, entries, keyOf, show);
    const form = el("form", { id: kind + "-edit", class: "card", onsubmit: (e) => {
      e.preventDefault();
      if (!pick.resolve()) return pick.input().reportValidity();
      const body = changes(current);
      if (!Object.keys(body).length) return say(status, "ok", t("ไม่มีอะไรเปลี่ยน", "Nothing changed"));
      send(form, status, "PATCH", path(current), body, async (answer) => {
        await reload();
        show(keyOf(answer[kind]));
      });
    } }, el("h3", {}, title), slot, fields, el("button", { type: "submit", id: kind + "-save" }, t("บันทึก", "Save")), status);
    Console.enterMovesOn(form);
    return form;
  }

  function agencyEditor() {
    const email = input("agency-email", { inputmode: "email" });
    const head = input("agency-head-email", { inputmode: "email", placeholder: "ไม่แสดง: พิมพ์เพื่อเปลี่ยน · Not shown: type to change" });
    const clear = check("agency-head-clear", "ลบอีเมลหัวหน้า", "Clear the head's e-mail");
    const hotline = input("agency-hotline", { inputmode: "tel", placeholder: "1555, 02-123-4567" });
    return editor("agency", {
      title: t("แก้ไขหน่วยงาน", "Edit an agency"),
      label: t("หน่วยงาน", "Agency"),
      entries: () => data.agencies,
      keyOf: (a) => a.id,
      path: (a) => `/agencies/${encodeURIComponent(a.id)}`,
      fill(a) {
        email.value = a.email || "";
        hotline.value = a.hotline || "";
        head.value = "";
        clear.box.checked = false;
      },
      changes(a) { // only what differs; the head's e-mail is not shown by GET /agencies: sent when typed or cleared
        const body = {};
        if (email.value.trim() !== (a.email || "")) body.email = email.value.trim();
        if (head.value.trim()) body.head_email = head.value.trim();
        else if (clear.box.checked) body.head_email = null;
        if (hotline.value.trim() !== (a.hotline || "")) body.hotline = hotline.value.trim() || null;
        return body;
      },
      fields: [
        field("agency-email", "อีเมลรับเรื่อง", "E-mail (dispatches and chases)", email),
        field("agency-head-email", "อีเมลหัวหน้าหน่วยงาน", "Head's e-mail (escalations)", head), clear.label,
        field("agency-hotline", "สายด่วน", "Hotline", hotline),
      ],
    });
  }

  function categoryEditor() {
    const units = unitFields("category");
    const urgent = check("category-urgent", "เร่งด่วน", "Urgent");
    return editor("category", {
      title: t("แก้ไขประเภทเรื่อง", "Edit a category"),
      label: t("ประเภทเรื่อง", "Category"),
      entries: () => data.categories,
      keyOf: (c) => c.code,
      path: (c) => `/categories/${encodeURIComponent(c.code)}`,
      fill(c) {
        units.unit.value = c.unit;
        units.referral.value = c.referral_channel || "hotline";
        urgent.box.checked = !!c.urgent;
        units.toggle();
      },
      changes(c) { // a referral channel only for an outside organisation (moved inside, the API drops it)
        const body = {};
        const unit = units.unit.value;
        if (unit !== c.unit) body.unit = unit;
        if (unit.startsWith("external:") && (body.unit || units.referral.value !== c.referral_channel)) body.referral_channel = units.referral.value;
        if (urgent.box.checked !== !!c.urgent) body.urgent = urgent.box.checked;
        return body;
      },
      fields: [
        units.fields, urgent.label,
        el("p", { class: "hint muted" }, t("มีผลกับเรื่องใหม่ทันที เรื่องที่ส่งไปแล้วไม่เปลี่ยน", "Applies to new routings at once; cases already routed keep their agency.")),
      ],
    });
  }

  // --- the change log ---------------------------------------------------------------------------
  const FIELDS = {
    email: ["อีเมล", "e-mail"], head_email: ["อีเมลหัวหน้า", "head's e-mail"], hotline: ["สายด่วน", "hotline"],
    unit: ["หน่วยที่รับเรื่อง", "unit"], urgent: ["เร่งด่วน", "urgent"], referral_channel: ["ส่งต่อทาง", "referral"],
    after_photo: ["ต้องมีรูปหลังแก้ไข", "after photo"], kind: ["ประเภท", "kind"], name_th: ["ชื่อไทย", "Thai name"],
    name_en: ["ชื่ออังกฤษ", "English name"], district: ["เขต", "district"],
  };
  const ACTIONS = { add: ["เพิ่ม", "added"], edit: ["แก้ไข", "changed"] };
  const KINDS = { agency: ["หน่วยงาน", "agency"], category: ["ประเภทเรื่อง", "category"] };
  const shown = (v) => (v === null || v === undefined || v === "" ? "–" : v === true ? "ใช่ yes" : v === false ? "ไม่ no" : String(v));
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

  function changeRow(c) {
    const before = c.before || {};
    const names = Object.keys(FIELDS).filter((f) => (c.action === "add" ? !same(c.after[f], null) : !same(before[f], c.after[f])));
    return el("div", { class: "ref-change", dataset: { kind: c.kind, id: c.id, action: c.action } },
      el("div", {}, el("strong", {}, fmtDate(c.at)), " · ", el("span", { class: "change-who" }, c.by.id || c.by.role), " · ",
        t(...ACTIONS[c.action]), " ", t(...KINDS[c.kind]), " ", el("code", {}, c.id),
        c.after.name_th ? [" ", t(c.after.name_th, c.after.name_en)] : null),
      el("ul", { class: "change-fields" }, names.map((f) =>
        el("li", { dataset: { field: f } }, t(...FIELDS[f]), ": ",
          c.action === "add" ? null : [el("span", { class: "before" }, shown(before[f])), " → "],
          el("span", { class: "after" }, shown(c.after[f]))))));
  }

  async function mount(box) {
    box.replaceChildren(el("h2", {}, t("ข้อมูลอ้างอิง", "Reference data")), el("p", { class: "muted" }, t("กำลังโหลด…", "Loading…")));
    await reload();
    const logBox = el("div", { id: "reference-changes" });
    box.replaceChildren(
      el("h2", {}, t("ข้อมูลอ้างอิง", "Reference data")),
      el("div", { class: "ref-grid" }, agencyEditor(), categoryEditor()),
      el("div", { class: "ref-grid" }, window.AdminReference.addForms ? window.AdminReference.addForms() : null),
      el("h3", {}, t("ประวัติการเปลี่ยนแปลง", "Change log")), logBox,
    );
    log = Console.pager(logBox, {
      load: (cursor) => Console.api("GET", "/reference/changes", { query: { limit: 20, cursor } })
        .then((doc) => ({ items: doc.changes, next_cursor: doc.next_cursor })),
      key: (c) => c.version,
      render: changeRow,
      empty: t("ยังไม่มีการเปลี่ยนแปลง", "No change yet"),
    });
    await log.ready;
  }

  window.AdminReference = {
    mount,
    kit: { data, reload, unitFields, field, input, check, statusLine, say, send },
  };
})();
