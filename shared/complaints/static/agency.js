// The agency action page: take or choose the "after" photo, send it straight to the photo bucket
// (a presigned POST that the page asks for at <this page>/uploads), and name its key in the
// completion form. Without this script the page still works with photo URLs.
"use strict";

(function () {
  var box = document.getElementById("after-photo-box");
  var input = document.getElementById("after-photo");
  var keyField = document.getElementById("evidence-key");
  var status = document.getElementById("after-status");
  var preview = document.getElementById("after-preview");
  if (!box || !input || !keyField) return;
  box.hidden = false;
  var form = box.closest("form");
  var pending = null;
  var MAX = 10 * 1024 * 1024;
  var TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic"];

  function say(th, en) {
    status.textContent = th + " · " + en;
  }

  function typeOf(file) {
    if (TYPES.indexOf(file.type) >= 0) return file.type;
    if (/\.hei[cf]$/i.test(file.name)) return "image/heic"; // some phones give HEIC no type
    return file.type || "";
  }

  // The preview is the check that the file is a picture: one that the browser cannot draw is not
  // sent (the server checks again). HEIC is left to the server: most browsers cannot draw it.
  function shown(file, type) {
    return new Promise(function (resolve, reject) {
      preview.onload = function () {
        preview.hidden = false;
        resolve();
      };
      preview.onerror = function () {
        preview.hidden = true;
        if (type === "image/heic") resolve();
        else reject(new Error("ไฟล์นี้ไม่ใช่รูปภาพ · this file is not an image"));
      };
      preview.src = URL.createObjectURL(file);
    });
  }

  function send(file) {
    var type = typeOf(file);
    if (TYPES.indexOf(type) < 0) return Promise.reject(new Error("ส่งได้เฉพาะรูป JPEG, PNG, WebP หรือ HEIC · JPEG, PNG, WebP or HEIC only"));
    if (file.size > MAX) return Promise.reject(new Error("รูปใหญ่เกิน 10 MB · the photo is over 10 MB"));
    return shown(file, type).then(function () {
      return upload(file, type);
    });
  }

  function upload(file, type) {
    var ask = new URLSearchParams({ content_type: type, size: String(file.size) });
    var here = window.location.pathname.replace(/\/$/, "");
    return fetch(here + "/uploads", { method: "POST", body: ask, credentials: "same-origin" })
      .then(function (r) {
        return r.json().then(function (doc) {
          if (!r.ok) throw new Error((doc.error && doc.error.message) || "upload refused");
          return doc;
        });
      })
      .then(function (doc) {
        var body = new FormData();
        Object.keys(doc.upload.fields).forEach(function (k) {
          body.append(k, doc.upload.fields[k]);
        });
        body.append("file", file);
        return fetch(doc.upload.url, { method: "POST", body: body }).then(function (r) {
          if (!r.ok) throw new Error("ส่งรูปไม่สำเร็จ (" + r.status + ") · the photo could not be sent");
          return doc.key;
        });
      });
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    keyField.value = "";
    if (!file) return;
    say("กำลังส่งรูป…", "sending the photo…");
    pending = send(file).then(
      function (key) {
        keyField.value = key;
        say("ส่งรูปแล้ว", "photo sent");
      },
      function (err) {
        say("ส่งรูปไม่สำเร็จ: " + err.message, "please choose the photo again");
        input.value = "";
        preview.hidden = true;
      }
    );
  });

  form.addEventListener("submit", function (event) {
    if (!pending || keyField.value) return;
    event.preventDefault(); // the photo is still on its way: send the form once it has arrived
    pending.then(function () {
      pending = null;
      form.requestSubmit();
    });
  });
})();
