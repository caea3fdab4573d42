/* The console's sign-in on the local stack (data-auth="local"): window.ConsoleAuth, the same
 * interface as auth-cognito.js (docs/console.md). No password: a role picker, kept in
 * sessionStorage; /console?as=callcenter or ?as=agency:DIST-1039 presets it. The local front
 * turns the X-Local-* headers into the claims a Cognito token would give. */
"use strict";

(() => {
  const KEY = "console.local.identity";
  const ROLES = ["callcenter", "agency", "auditor", "executive", "admin"];
  const { el, t } = window.Console;

  /** "agency:DIST-1039" or "callcenter" → {role, agency_id, user}, or null. */
  function parse(value) {
    const [role, agency] = String(value || "").split(":", 2);
    if (!ROLES.includes(role) || (role === "agency" && !agency)) return null;
    return { role, agency_id: role === "agency" ? agency : null, user: null };
  }

  function save(who) {
    // the name the local front gives the user when none is chosen (local.events.claims_for)
    const user = who.user || `local-${who.role}` + (who.agency_id ? `-${who.agency_id.toLowerCase()}` : "");
    sessionStorage.setItem(KEY, JSON.stringify({ ...who, user }));
  }

  function current() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) || "null");
    } catch (err) {
      return null;
    }
  }

  const params = new URLSearchParams(location.search);
  if (params.has("as")) {
    const who = parse(params.get("as"));
    if (who) save(who);
    params.delete("as"); // a reload keeps the picked role, not the preset
    const qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
  }

  async function agencyOptions(list) {
    try {
      const doc = await window.Console.api("GET", "/agencies");
      list.replaceChildren(...doc.agencies.map((a) => el("option", { value: a.id }, `${a.name_th} · ${a.name_en}`)));
    } catch (err) {
      // the list only helps typing
    }
  }

  function picker() {
    document.getElementById("nav").replaceChildren();
    document.getElementById("who").replaceChildren();
    const was = current() || { role: "callcenter", agency_id: null };
    const role = el(
      "select",
      { id: "pick-role" },
      ROLES.map((r) =>
        el("option", { value: r, selected: r === was.role }, `${window.Console.roles[r].th} · ${window.Console.roles[r].en}`),
      ),
    );
    const agencies = el("datalist", { id: "pick-agencies" });
    const agency = el("input", { id: "pick-agency", list: "pick-agencies", value: was.agency_id || "DIST-1039", autocomplete: "off" });
    const agencyField = el("div", {}, el("label", { for: "pick-agency" }, t("รหัสหน่วยงาน", "Agency id")), agency, agencies);
    const user = el("input", { id: "pick-user", autocomplete: "off", placeholder: "local-…" });
    const showAgency = () => (agencyField.hidden = role.value !== "agency");
    role.addEventListener("change", showAgency);
    showAgency();
    const form = el(
      "form",
      { class: "card picker", id: "picker" },
      el("h2", {}, t("เลือกบทบาท (ระบบทดสอบในเครื่อง)", "Choose a role (local stack)")),
      el("label", { for: "pick-role" }, t("บทบาท", "Role")),
      role,
      agencyField,
      el("label", { for: "pick-user" }, t("ชื่อผู้ใช้ (ไม่บังคับ)", "User name (optional)")),
      user,
      el("div", {}, el("button", { type: "submit", id: "pick-enter" }, t("เข้าใช้", "Enter"))),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const who = parse(role.value === "agency" ? `agency:${agency.value.trim()}` : role.value);
      if (!who) {
        window.Console.toast(t("โปรดใส่รหัสหน่วยงาน", "Enter the agency id"), "err");
        return;
      }
      save({ ...who, user: user.value.trim() || null });
      location.reload();
    });
    document.getElementById("view").replaceChildren(form);
    agencyOptions(agencies);
    role.focus();
  }

  window.ConsoleAuth = {
    /** The picked staff member {role, agency_id, user}, or null. */
    identity: async () => current(),
    /** The local front's stand-ins for the Cognito token. */
    headers() {
      const who = current();
      if (!who) return {};
      const headers = { "X-Local-Role": who.role, "X-Local-User": who.user };
      if (who.agency_id) headers["X-Local-Agency"] = who.agency_id;
      return headers;
    },
    signIn: picker,
    signOut() {
      sessionStorage.removeItem(KEY);
      picker();
    },
  };
})();
