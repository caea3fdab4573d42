/* The console's cursor-paginated list: Console.pager (docs/console.md), loaded right after
 * core.js, on every page. Split from the core: the list's paging, refreshing in place and keeping
 * the rows in use are a concern of their own. */
"use strict";
(() => {
  const { el, t, toastError } = window.Console;

  /** Is the operator working in this row? Then a refresh keeps it as it is. */
  function inUse(row) {
    return row.matches(".keep, [open]") || !!row.querySelector("[open]") || row.contains(document.activeElement);
  }

  /** A cursor-paginated list in `container` (docs/console.md). */
  function pager(container, { load, render, key, empty }) {
    const list = el("ol", { class: "pager-list" });
    const none = el("p", { class: "pager-empty", hidden: true }, empty || t("ไม่มีรายการ", "Nothing here"));
    const more = el("button", { type: "button", class: "secondary pager-more", hidden: true }, t("แสดงเพิ่ม", "Show more"));
    container.replaceChildren(list, none, more);
    let pages = 0;
    let cursor = null;
    let items = [];
    let queue = Promise.resolve(true);
    const row = (item) => el("li", { dataset: { key: String(key(item)) } }, render(item));
    const show = () => {
      more.hidden = !cursor;
      none.hidden = items.length > 0;
    };
    const run = (job) => {
      queue = queue.then(async () => {
        more.disabled = true;
        try {
          await job();
          return true;
        } catch (err) {
          toastError(err);
          return false;
        } finally {
          more.disabled = false;
          show();
        }
      });
      return queue;
    };
    const self = {
      list,
      items: () => items.slice(),
      /** The next page (the first, at first). Resolves true, or false after a toast of the error. */
      more: () =>
        run(async () => {
          const page = await load(pages ? cursor : null);
          const seen = new Set(items.map((i) => String(key(i))));
          const fresh = page.items.filter((i) => !seen.has(String(key(i))));
          pages += 1;
          cursor = page.next_cursor || null;
          items = items.concat(fresh);
          list.append(...fresh.map(row));
        }),
      /** Reload the pages shown, keep the rows in use and the scroll position of what is on screen. */
      refresh: () =>
        run(async () => {
          const anchor = [...list.children].find((li) => li.getBoundingClientRect().bottom > 0);
          const anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
          let next = null;
          let loaded = 0;
          const fresh = [];
          do {
            const page = await load(next);
            fresh.push(...page.items);
            next = page.next_cursor || null;
            loaded += 1;
          } while (loaded < pages && next);
          const old = new Map([...list.children].map((li) => [li.dataset.key, li]));
          const unique = [...new Map(fresh.map((i) => [String(key(i)), i])).values()];
          list.replaceChildren(
            ...unique.map((item) => {
              const prev = old.get(String(key(item)));
              return prev && inUse(prev) ? prev : row(item);
            }),
          );
          pages = loaded;
          cursor = next;
          items = unique;
          const again = anchor && list.querySelector(`[data-key="${CSS.escape(anchor.dataset.key)}"]`);
          if (again) window.scrollBy(0, again.getBoundingClientRect().top - anchorTop);
        }),
      /** Show a changed item (an action's answer) in its row, in place. */
      replace(item) {
        const k = String(key(item));
        const prev = list.querySelector(`[data-key="${CSS.escape(k)}"]`);
        items = items.map((i) => (String(key(i)) === k ? item : i));
        if (prev) prev.replaceWith(row(item));
      },
    };
    more.addEventListener("click", () => self.more());
    self.ready = self.more();
    return self;
  }

  window.Console.pager = pager;
})();
