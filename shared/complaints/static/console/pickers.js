/* The console's searchable pickers (docs/console.md): Console.picker(items, {id, label, placeholder})
 * → {input, field, value(), set(item), resolve()}: an <input list> with a <datalist> of
 * "ไทย · English" labels, which resolves what was typed (the label, the code, or a unique part of
 * the Thai or English name) to one item. Keyboard only: type, then Enter or Tab. */
"use strict";

(() => {
  const { el, t } = Console;
  const registry = new WeakMap(); // a picker's input → the picker
  const fold = (s) => String(s || "").trim().toLowerCase().replace(/\s+/g, " ");

  /** items: [{key, th, en}] (key: the code sent to the API). */
  function picker(items, { id, label, placeholder, required } = {}) {
    const text = (item) => `${item.th} · ${item.en} (${item.key})`;
    const list = el("datalist", { id: id + "-list" }, items.map((i) => el("option", { value: text(i) })));
    const input = el("input", {
      id,
      list: id + "-list",
      autocomplete: "off",
      placeholder: placeholder || "พิมพ์ชื่อไทยหรืออังกฤษ · Type a Thai or English name",
      required: required || null,
      "aria-describedby": id + "-picked",
    });
    const shown = el("div", { id: id + "-picked", class: "picked muted", "aria-live": "polite" });
    let chosen = null;

    /** The item the typed text names (its label, its key, or a unique match; an exact name first). */
    function find(value) {
      const v = fold(value);
      if (!v) return null;
      const exact = items.find((i) => fold(text(i)) === v || fold(i.key) === v || fold(i.th) === v || fold(i.en) === v);
      if (exact) return exact;
      const some = items.filter((i) => fold(text(i)).includes(v));
      if (some.length === 1) return some[0];
      const starts = some.filter((i) => fold(i.th).startsWith(v) || fold(i.en).startsWith(v));
      return starts.length === 1 ? starts[0] : null;
    }

    function show() {
      const bad = input.value.trim() && !chosen;
      input.setCustomValidity(bad ? "เลือกจากรายการ · Pick one from the list" : "");
      shown.classList.toggle("late", !!bad);
      const what = chosen ? ["→ ", t(chosen.th, chosen.en), ` (${chosen.key})`] : bad ? t("ไม่พบ หรือมีหลายรายการ", "Not found, or more than one") : null;
      shown.replaceChildren(el("span", {}, what));
    }

    const self = {
      input,
      field: el("div", { class: "field" }, el("label", { for: id }, label), input, list, shown),
      /** The key of the item picked, or null. */
      value: () => (chosen ? chosen.key : null),
      item: () => chosen,
      /** Resolve what was typed now (Enter and Tab do it too); the item or null. */
      resolve() {
        chosen = find(input.value);
        if (chosen) input.value = text(chosen);
        show();
        return chosen;
      },
      /** Pick an item (or null to clear). */
      set(item) {
        chosen = item || null;
        input.value = chosen ? text(chosen) : "";
        show();
      },
    };
    input.addEventListener("input", () => {
      chosen = items.find((i) => text(i) === input.value) || null; // a datalist option picked
      show();
      input.setCustomValidity(""); // judged on leaving the field
    });
    registry.set(input, self);
    input.addEventListener("change", () => self.resolve());
    input.addEventListener("blur", () => self.resolve());
    return self;
  }

  /** Enter moves to the next field of the form (Shift+Enter: a new line in a text area); Enter on
   * the last field, or Ctrl+Enter anywhere, submits. A picker that cannot tell what was typed keeps
   * the focus (and says why). */
  function enterMovesOn(form) {
    form.addEventListener("keydown", (ev) => {
      if (ev.key !== "Enter" || ev.isComposing) return;
      const target = ev.target;
      if (target.tagName === "BUTTON" || (target.tagName === "TEXTAREA" && ev.shiftKey)) return;
      ev.preventDefault();
      const pick = registry.get(target);
      if (pick && !pick.resolve() && (target.required || target.value.trim())) return target.reportValidity();
      if (ev.ctrlKey || ev.metaKey) return form.requestSubmit();
      const fields = [...form.querySelectorAll("input, select, textarea, button[type=submit]")].filter(
        (f) => !f.disabled && !f.hidden && f.type !== "hidden" && f.offsetParent !== null,
      );
      const next = fields[fields.indexOf(target) + 1];
      if (!next || next.type === "submit") form.requestSubmit();
      else next.focus();
    });
  }

  Object.assign(Console, { picker, enterMovesOn });
})();
