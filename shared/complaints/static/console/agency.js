/* The console's agency page (/console/agency, docs/console.md "Agency officer"): the agency's own
 * cases by deadline (overdue first: GET /complaints?order=deadline) or by state (newest first),
 * what is overdue and due today (GET /complaints/due-counts), and the actions of the e-mail's
 * page on each row (agency-actions.js). An agency officer's own agency is implicit; an admin
 * names one. */
"use strict";

Console.start(async (view, who) => {
  const { el, t, labels } = Console;
  const QUEUE = ["dispatched", "acknowledged", "in_progress"]; // the states with a running duty deadline
  const MINE = [...QUEUE, "completed", "closed"];
  const DUTY = new Set(["ack", "first_progress", "checkpoint"]);
  const stateText = (s) => t(labels.state[s] || s, labels.state_en[s] || s);
  let ref = null; // Console.reference(): the names of categories and districts
  try {
    ref = await Console.reference();
  } catch (err) {
    Console.toastError(err); // the codes are shown instead
  }

  // ---- which agency (an officer: their own; an admin: one to look at), which view, which state
  let agency = who.role === "agency" ? null : sessionStorage.getItem("console.agency.view") || "";
  let order = "deadline";
  let state = "";

  const counts = el("div", { id: "due-counts", class: "counts", "aria-live": "polite" });
  const tabs = {
    deadline: el("button", { type: "button", id: "view-deadline", class: "tab" }, t("ตามกำหนดเวลา", "By deadline")),
    newest: el("button", { type: "button", id: "view-state", class: "tab" }, t("ตามสถานะ", "By state")),
  };
  const stateSelect = el("select", { id: "state-filter" });
  const refresh = el("button", { type: "button", class: "secondary", id: "queue-refresh" }, t("โหลดใหม่", "Refresh"));
  const hint = el("p", { class: "muted", id: "queue-hint" });
  const box = el("div", { id: "queue" });
  const agencyInput =
    who.role === "agency"
      ? null
      : el("input", { id: "agency-pick", value: agency, placeholder: "DIST-1039", size: 14, "aria-label": "agency id" });

  view.append(
    ...(agencyInput ? [el("p", {}, el("label", { for: "agency-pick" }, t("หน่วยงาน", "Agency")), agencyInput)] : []),
    counts,
    el("div", { class: "queue-tools" }, tabs.deadline, tabs.newest, el("label", { for: "state-filter", class: "inline" }, t("สถานะ", "State")), stateSelect, refresh),
    hint,
    box,
  );

  // ---- the counts at the top
  async function loadCounts() {
    if (who.role !== "agency" && !agency) return counts.replaceChildren();
    try {
      const c = await Console.api("GET", "/complaints/due-counts", { query: { agency } });
      const box = (id, n, th, en, kind) =>
        el("div", { class: ["count", n > 0 ? kind : null] }, el("span", { class: "num", id }, String(n)), t(th, en));
      counts.replaceChildren(
        box("count-overdue", c.overdue, "เกินกำหนด", "overdue", "late-box"),
        box("count-today", c.due_today, "ครบกำหนดวันนี้", "due today", "today-box"),
        el("span", { class: "muted as-of" }, t("ณ " + Console.fmtDate(c.as_of), "as of " + Console.fmtDate(c.as_of))),
      );
    } catch (err) {
      Console.toastError(err);
    }
  }

  // ---- a row
  function category(code) {
    const c = ref && ref.category(code);
    return c ? t(c.name_th, c.name_en) : code;
  }

  function place(c) {
    const where = (c.location && c.location.address) || null;
    const d = c.district && ref ? ref.districts.find((x) => x.code === c.district) : null;
    const district = d ? t("เขต" + d.th, d.en) : c.district;
    return where && district ? [where, " · ", district] : where || district || "—";
  }

  function due(c) {
    if (!c.due) return el("span", { class: "muted" }, t("ไม่มีกำหนด", "no deadline"));
    const kind = t(labels.due[c.due.kind] || c.due.kind, (labels.due_en && labels.due_en[c.due.kind]) || "");
    const left = DUTY.has(c.due.kind) ? Console.dueEl(c.due.at) : null;
    return [kind, " · ", Console.fmtDate(c.due.at), left ? [" · ", left] : null];
  }

  function caseDetails(c) {
    const body = el("div", { class: "case-view-box" });
    const box = el("details", { class: "case-more" }, el("summary", {}, t("ดูเรื่องทั้งหมด", "The whole case")), body);
    box.addEventListener("toggle", async () => {
      if (!box.open || body.childElementCount) return;
      try {
        const doc = await Console.api("GET", `/complaints/${encodeURIComponent(c.id)}`);
        body.replaceChildren(Console.caseView(doc, { ref }));
      } catch (err) {
        Console.toastError(err);
      }
    });
    return box;
  }

  function render(c) {
    const late = c.due && DUTY.has(c.due.kind) && Console.timeLeft(c.due.at).late;
    const text = c.description || "";
    return el(
      "div",
      { class: ["case-row", late ? "is-late" : null], dataset: { state: c.state } },
      el(
        "div",
        { class: "case-head" },
        el("strong", { class: "case-id" }, c.id),
        Console.stateEl(c.state),
        el("span", { class: "case-category" }, category(c.category)),
        el("span", { class: "case-place" }, place(c)),
      ),
      el("div", { class: "case-due" }, due(c)),
      text && el("p", { class: "case-desc" }, text.length > 160 ? text.slice(0, 160) + "…" : text),
      caseDetails(c),
      who.role === "agency" ? window.AgencyActions.bar(c, hooks(c)) : null,
    );
  }

  // ---- after an action: the row shows the answer in place, the counts follow
  function rowOf(id) {
    return pager && pager.list.querySelector(`[data-key="${CSS.escape(id)}"]`);
  }

  function hooks(c) {
    return {
      category: ref && ref.category(c.category),
      done(answer, action) {
        pager.replace(answer);
        Console.toast(t(`บันทึกแล้ว: ${action.th} ${answer.id}`, `Saved: ${action.en}, ${answer.id}`), "ok");
        loadCounts();
      },
      async failed(c, err) {
        if (err.status !== 409) return; // said in the row (e.g. photo_required: the API's words)
        // not possible in the case's state now: show where it is, and say so plainly in its row
        try {
          pager.replace(await Console.api("GET", `/complaints/${encodeURIComponent(c.id)}`));
        } catch (again) {
          await pager.refresh();
        }
        const msg = el(
          "p",
          { class: "flash err row-error", role: "alert" },
          t("ทำรายการนี้ไม่ได้ในสถานะปัจจุบันของเรื่อง", "Not possible in the case's current state"),
          " (",
          err.message,
          ")",
        );
        const row = rowOf(c.id);
        if (row) row.firstElementChild.prepend(msg);
        Console.toast(t("ทำรายการนี้ไม่ได้: " + c.id, "Not possible: " + c.id), "err");
        loadCounts();
      },
    };
  }

  // ---- the list
  let pager = null;
  function fillStates() {
    const states = order === "deadline" ? QUEUE : MINE;
    if (state && !states.includes(state)) state = "";
    const all = order === "deadline" ? t("ทุกสถานะในคิว", "all in the queue") : t("ทุกสถานะ", "all states");
    stateSelect.replaceChildren(
      el("option", { value: "", selected: !state }, all.textContent),
      ...states.map((s) => el("option", { value: s, selected: s === state }, stateText(s).textContent)),
    );
  }

  function show() {
    for (const [name, tab] of Object.entries(tabs)) tab.setAttribute("aria-pressed", String(name === order));
    fillStates();
    hint.replaceChildren(
      order === "deadline"
        ? t("เรื่องที่กำลังนับเวลา เรื่องเกินกำหนดก่อน", "Cases with a running deadline, the overdue first")
        : t("เรื่องของหน่วยงาน ใหม่สุดก่อน", "The agency's cases, the newest first"),
    );
    if (who.role !== "agency" && !agency) {
      pager = null;
      return box.replaceChildren(el("p", { class: "flash warn" }, t("ใส่รหัสหน่วยงาน", "Enter an agency id")));
    }
    pager = Console.pager(box, {
      load: (cursor) =>
        Console.api("GET", "/complaints", {
          query: { agency, state, order: order === "deadline" ? "deadline" : null, limit: 25, cursor },
        }).then((doc) => ({ items: doc.complaints, next_cursor: doc.next_cursor })),
      key: (c) => c.id,
      render,
      empty: t("ไม่มีเรื่องในรายการนี้", "No cases here"),
    });
    loadCounts();
  }

  tabs.deadline.addEventListener("click", () => ((order = "deadline"), show()));
  tabs.newest.addEventListener("click", () => ((order = "newest"), show()));
  stateSelect.addEventListener("change", () => ((state = stateSelect.value), show()));
  refresh.addEventListener("click", () => {
    if (pager) pager.refresh();
    loadCounts();
  });
  if (agencyInput) {
    agencyInput.addEventListener("change", () => {
      agency = agencyInput.value.trim().toUpperCase();
      sessionStorage.setItem("console.agency.view", agency);
      show();
    });
  }
  show();
});
