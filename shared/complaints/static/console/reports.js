/* The console's reports page (/console/reports): a placeholder until its page is written (docs/console.md). */
"use strict";

Console.start((view) => {
  view.append(Console.el("p", { class: "flash warn coming" }, Console.t("หน้านี้กำลังจัดทำ", "This page is coming.")));
});
