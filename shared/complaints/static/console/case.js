/* The console's shared case view (docs/console.md): Console.caseView(doc, {actions, ref, now}) draws
 * a case of GET /complaints/{id} (details, place, photos, deadline, the whole history); Console.reference()
 * loads the categories and agencies once; a few labels (state, event, section) Thai first with English.
 * Loaded after core.js by the pages that use it (console.PAGES' `uses`). Text always as text. */
"use strict";

(() => {
  const { el, t, labels } = Console;
  const SECTIONS = {
    public_works: ["ฝ่ายโยธา", "Public works"],
    law_enforcement: ["ฝ่ายเทศกิจ", "City law enforcement"],
    cleansing_parks: ["ฝ่ายรักษาความสะอาดและสวนสาธารณะ", "Cleansing and parks"],
    environment_sanitation: ["ฝ่ายสิ่งแวดล้อมและสุขาภิบาล", "Environment and sanitation"],
  };
  const CHANNELS = {
    web: ["เว็บไซต์", "web"], mobile: ["แอป", "mobile app"], phone: ["โทรศัพท์", "phone"], line: ["LINE", "LINE"],
    email: ["อีเมล", "e-mail"], walk_in: ["มาด้วยตนเอง", "walk-in"], open311: ["Open311", "Open311"],
  };
  const label = (group, key) => t((labels[group] || {})[key] || key, (labels[group + "_en"] || {})[key] || key);

  /** The state as a badge (class "state", data-state). */
  const stateEl = (state) => el("span", { class: "state", dataset: { state } }, label("state", state));
  /** A history event's name. */
  const eventLabel = (type) => label("event", type);
  /** A district office's section. */
  const sectionLabel = (section) => t(...(SECTIONS[section] || [section, section]));

  let loaded = null;
  /** The reference data, loaded once: {categories, agencies, category(code), agency(id), districts}.
   * districts: [{code, th, en, office}] from the district offices (GET /agencies, kind "district"). */
  function reference() {
    loaded =
      loaded ||
      Promise.all([Console.api("GET", "/categories"), Console.api("GET", "/agencies")]).then(([c, a]) => {
        const categories = c.categories;
        const agencies = a.agencies;
        const byCode = new Map(categories.map((x) => [x.code, x]));
        const byId = new Map(agencies.map((x) => [x.id, x]));
        const districts = agencies
          .filter((x) => x.kind === "district" && x.district)
          .map((x) => ({
            code: x.district,
            th: x.name_th.replace(/^สำนักงานเขต/, ""),
            en: x.name_en.replace(/ District Office$/, ""),
            office: x,
          }));
        return { categories, agencies, districts, category: (code) => byCode.get(code), agency: (id) => byId.get(id) };
      });
    loaded.catch(() => (loaded = null)); // a failed load is tried again next time
    return loaded;
  }

  const row = (th, en, ...value) => [el("dt", {}, t(th, en)), el("dd", {}, ...value)];
  const named = (x) => (x ? [x.name_th, " ", el("span", { class: "en" }, x.name_en)] : null);

  function place(doc, ref) {
    const loc = doc.location || {};
    const district = ref && doc.district ? ref.districts.find((d) => d.code === doc.district) : null;
    const hasPoint = typeof loc.lat === "number" && typeof loc.lon === "number";
    const map = hasPoint
      ? el(
          "a",
          {
            class: "case-map",
            href: `https://www.openstreetmap.org/?mlat=${loc.lat}&mlon=${loc.lon}#map=18/${loc.lat}/${loc.lon}`,
            target: "_blank",
            rel: "noopener noreferrer",
          },
          t("เปิดแผนที่", "Open the map"),
          ` (${loc.lat.toFixed(5)}, ${loc.lon.toFixed(5)})`,
        )
      : null;
    return [
      row("ที่อยู่", "Address", loc.address || "-"),
      row("เขต", "District", doc.district ? [district ? t(district.th, district.en) : "", ` ${doc.district}`] : "-"),
      map && row("พิกัด", "Coordinates", map),
    ];
  }

  function due(doc, now) {
    if (!doc.due) return row("กำหนด", "Deadline", "-");
    return row(
      "กำหนด",
      "Deadline",
      label("due", doc.due.kind),
      " · ",
      Console.fmtDate(doc.due.at),
      " · ",
      el("span", { class: "case-due" }, Console.dueEl(doc.due.at, now)),
    );
  }

  /** Thumbnails of photos ({url, thumbnail_url}), each a link to the full picture. */
  function photos(list, alt) {
    if (!list || !list.length) return null;
    return el(
      "div",
      { class: "case-photos" },
      list.map((p, i) =>
        el(
          "a",
          { href: p.url, target: "_blank", rel: "noopener noreferrer" },
          el("img", { src: p.thumbnail_url || p.url, alt: `${alt} ${i + 1}`, loading: "lazy" }),
        ),
      ),
    );
  }

  function whoDid(by) {
    if (!by) return "";
    const role = Console.roles[by.role];
    return [role ? t(role.th, role.en) : by.role, by.agency_id ? ` ${by.agency_id}` : "", by.id ? ` (${by.id})` : ""];
  }

  function history(events) {
    return el(
      "ol",
      { class: "case-history" },
      (events || []).map((e) =>
        el(
          "li",
          { dataset: { type: e.type } },
          el("strong", {}, eventLabel(e.type)),
          " · ",
          el("span", { class: "muted" }, Console.fmtDate(e.at)),
          " · ",
          whoDid(e.by),
          e.state ? [" → ", label("state", e.state)] : null,
          e.note ? el("div", { class: "case-note" }, e.note) : null,
          e.expected_completion
            ? el("div", {}, t("คาดว่าเสร็จ", "Expected by"), " ", Console.fmtDate(e.expected_completion))
            : null,
          e.verdict ? el("div", {}, t("ผลตรวจ", "Verdict"), " ", e.verdict) : null,
          e.flags && e.flags.length ? el("div", { class: "late" }, t("ข้อสังเกต", "Flags"), " ", e.flags.join(", ")) : null,
          photos(e.evidence, "หลักฐาน · evidence"),
        ),
      ),
    );
  }

  /** A case (GET /complaints/{id}) as an <article class="case-view" data-case-id>: details, place,
   * photos, deadline, the whole history. options: actions (elements, or a function (doc) → elements,
   * shown in .case-actions), ref (Console.reference()'s answer: names of categories and districts),
   * now (the clock of the time left; the browser's by default). */
  function caseView(doc, { actions, ref, now } = {}) {
    const category = ref && ref.category(doc.category);
    const who = doc.complainant || {};
    const out = doc.referral;
    const extra = typeof actions === "function" ? actions(doc) : actions;
    return el(
      "article",
      { class: "case-view card", dataset: { caseId: doc.id } },
      el("h2", {}, el("span", { class: "case-number" }, doc.id), " ", stateEl(doc.state), doc.urgent ? [" ", el("span", { class: "late" }, t("ด่วน", "urgent"))] : null),
      el(
        "dl",
        { class: "case-details" },
        row("หมวด", "Category", category ? named(category) : doc.category),
        row("รายละเอียด", "Description", el("span", { class: "case-description" }, doc.description)),
        row("รับเรื่อง", "Received", Console.fmtDate(doc.received_at), " · ", t(...(CHANNELS[doc.channel] || [doc.channel]))),
        due(doc, now),
        row("หน่วยงาน", "Agency", doc.agency ? [named(doc.agency), doc.agency.section ? [" · ", sectionLabel(doc.agency.section)] : null] : "-"),
        out && row("ส่งต่อ", "Referred to", named(out), ` · ${out.channel}`, out.hotline ? ` ☎ ${out.hotline}` : "", out.reference ? ` · ${out.reference}` : ""),
        (who.name || who.phone || who.email) && row("ผู้ร้อง", "Caller", [who.name, who.phone, who.email].filter(Boolean).join(" · ")),
        place(doc, ref),
        doc.reopen_count ? row("เปิดใหม่", "Reopened", String(doc.reopen_count)) : null,
      ),
      photos(doc.photos, "รูป · photo") || el("p", { class: "muted" }, t("ไม่มีรูป", "No photos")),
      extra && el("div", { class: "case-actions" }, extra),
      el("h3", {}, t("ประวัติ", "History")),
      history(doc.history),
    );
  }

  Object.assign(Console, { caseView, reference, stateEl, eventLabel, sectionLabel, SECTIONS });
})();
