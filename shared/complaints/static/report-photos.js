/* The filing page's photos: up to config.max, each sent at once, straight to the photo bucket.
   POST /uploads {content_type, size} answers a presigned POST (url, fields) and the key; the
   browser posts the fields, then the file, to that url. The complaint names the keys. */
(function (R) {
  "use strict";

  var EXTENSIONS = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp", heic: "image/heic" };

  function megabytes(bytes) { return (bytes / 1048576).toFixed(1); }

  /* A file's type as the upload rules know it (some phones give HEIC files no type). */
  function typeOf(file) {
    if (file.type) return file.type.toLowerCase();
    var ext = (file.name.split(".").pop() || "").toLowerCase();
    return EXTENSIONS[ext] || "";
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  R.photos = function (config, inputs, list, error) {
    var items = [];

    function say(th, en) {
      error.textContent = th + " · " + en;
      error.hidden = !th;
    }

    function setState(item, state, th, en) {
      item.state = state;
      item.li.className = state;
      item.label.textContent = th + " · " + en;
      item.retry.hidden = state !== "failed";
    }

    /* The bucket's refusal or ours, in a line: the API's error body, or the status. */
    function reason(status, body) {
      var e = body && body.error;
      return e && e.message ? e.message : "HTTP " + status;
    }

    function upload(item) {
      setState(item, "uploading", "กำลังส่งรูป…", "Uploading…");
      item.abort = new AbortController();
      fetch("/uploads", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ content_type: item.type, size: item.file.size }),
        signal: item.abort.signal
      }).then(function (res) {
        return res.json().catch(function () { return null; }).then(function (body) {
          if (res.status !== 201 || !body || !body.upload) throw new Error(reason(res.status, body));
          return body;
        });
      }).then(function (answer) {
        return send(item, answer.upload).then(function () { return answer.key; });
      }).then(function (key) {
        item.key = key;
        setState(item, "uploaded", "ส่งรูปแล้ว", "Uploaded");
      }).catch(function (err) {
        if (item.removed) return;
        setState(item, "failed", "ส่งรูปไม่สำเร็จ ลองอีกครั้งหรือลบรูปนี้", "Upload failed (" + err.message + ")");
      });
    }

    /* The presigned POST: every field first, the file last, under the name "file". */
    function send(item, form) {
      return new Promise(function (resolve, reject) {
        var data = new FormData();
        Object.keys(form.fields || {}).forEach(function (name) { data.append(name, form.fields[name]); });
        data.append("file", item.file);
        var xhr = new XMLHttpRequest();
        item.abort = { abort: function () { xhr.abort(); } };
        xhr.open("POST", form.url);
        xhr.upload.onprogress = function (e) {
          if (e.lengthComputable) item.label.textContent = "กำลังส่งรูป " + Math.round(100 * e.loaded / e.total) + "% · Uploading";
        };
        xhr.onload = function () {
          if (xhr.status >= 200 && xhr.status < 300) resolve();
          else reject(new Error("HTTP " + xhr.status));
        };
        xhr.onerror = function () { reject(new Error("network")); };
        xhr.send(data);
      });
    }

    function remove(item) {
      item.removed = true;
      if (item.abort) item.abort.abort();
      if (item.preview) URL.revokeObjectURL(item.preview);
      item.li.remove();
      items.splice(items.indexOf(item), 1);
      say("", "");
    }

    function add(file) {
      var type = typeOf(file);
      if (config.types.indexOf(type) < 0) {
        say("ไฟล์ " + file.name + " ไม่ใช่รูปแบบที่รับได้ (JPEG PNG WebP HEIC)", file.name + " is not a JPEG, PNG, WebP or HEIC image");
        return;
      }
      if (file.size > config.max_bytes) {
        var limit = megabytes(config.max_bytes);
        say("รูป " + file.name + " ใหญ่เกิน " + Math.round(limit) + " MB (" + megabytes(file.size) + " MB) โปรดเลือกรูปที่เล็กกว่า",
          file.name + " is over " + Math.round(limit) + " MB (" + megabytes(file.size) + " MB): choose a smaller photo");
        return;
      }
      var item = { file: file, type: type, key: null, li: el("li"), label: el("span", "photo-state") };
      if (type === "image/heic") {
        item.li.appendChild(el("span", "no-preview", "HEIC"));
      } else {
        var img = el("img");
        item.preview = img.src = URL.createObjectURL(file);
        img.alt = file.name;
        item.li.appendChild(img);
      }
      item.li.appendChild(item.label);
      item.retry = el("button", "secondary", "ลองอีกครั้ง · Retry");
      item.retry.type = "button";
      item.retry.addEventListener("click", function () { upload(item); });
      var drop = el("button", "secondary", "ลบ · Remove");
      drop.type = "button";
      drop.addEventListener("click", function () { remove(item); });
      item.li.appendChild(item.retry);
      item.li.appendChild(drop);
      list.appendChild(item.li);
      items.push(item);
      upload(item);
    }

    function chosen(event) {
      var files = Array.prototype.slice.call(event.target.files || []);
      event.target.value = "";  // the same file may be chosen again after a removal
      say("", "");
      files.forEach(function (file) {
        if (items.length >= config.max) {
          say("แนบรูปได้ไม่เกิน " + config.max + " รูป", "At most " + config.max + " photos");
          return;
        }
        add(file);
      });
    }

    inputs.forEach(function (input) { input.addEventListener("change", chosen); });

    return {
      keys: function () { return items.filter(function (i) { return i.key; }).map(function (i) { return i.key; }); },
      busy: function () { return items.some(function (i) { return i.state === "uploading"; }); },
      failed: function () { return items.some(function (i) { return i.state === "failed"; }); },
      lock: function (locked) { inputs.forEach(function (input) { input.disabled = locked; }); }
    };
  };
})(window.R1555 = window.R1555 || {});
