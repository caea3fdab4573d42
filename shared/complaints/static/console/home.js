/* The console's home (/console): who is signed in, the pages of the role, and the newest cases
 * the API lets this role see (a Console.pager over GET /complaints). */
"use strict";

Console.start((view, who) => {
  const { el, t } = Console;
  const role = Console.roles[who.role];
  const pages = Object.entries(Console.pages).filter(([name, p]) => name !== "home" && p.roles.includes(who.role));
  view.append(
    el("p", { id: "signed-in-as" }, t(`เข้าใช้ในฐานะ ${role.th}`, `Signed in as ${role.en}`), who.agency_id ? ` (${who.agency_id})` : null),
    el(
      "ul",
      { class: "links", id: "role-links" },
      pages.map(([name, p]) => el("li", {}, el("a", { href: Console.link(name), dataset: { page: name } }, t(p.th, p.en)))),
    ),
    el("h2", {}, t("เรื่องล่าสุดที่คุณเห็น", "The newest cases you can see")),
  );
  const box = el("div", { id: "latest" });
  const refresh = el("button", { type: "button", class: "secondary", id: "latest-refresh" }, t("โหลดใหม่", "Refresh"));
  view.append(refresh, box);
  const list = Console.pager(box, {
    load: (cursor) =>
      Console.api("GET", "/complaints", { query: { limit: 5, cursor } }).then((doc) => ({
        items: doc.complaints,
        next_cursor: doc.next_cursor,
      })),
    key: (c) => c.id,
    render: (c) =>
      el(
        "div",
        { class: "case" },
        el("strong", { class: "case-id" }, c.id),
        " ",
        el("span", { class: "state" }, Console.labels.state[c.state] || c.state),
        " ",
        el("span", { class: "case-agency", title: c.agency ? c.agency.name_th : null }, c.agency ? c.agency.id : ""),
        " · ",
        el("span", { class: "muted" }, Console.fmtDate(c.received_at)),
        c.due ? [" · ", Console.dueEl(c.due.at)] : null,
      ),
  });
  refresh.addEventListener("click", () => list.refresh());
});
