/* The citizen's filing page (/report): category, description, photos (report-photos.js), the
   place (a Leaflet map with a pin, the district picker the pin pre-fills, report-geo.js), contact,
   then POST /complaints with an Idempotency-Key, and the case number, link and deadline. */
(function (R) {
  "use strict";

  var config = JSON.parse(document.getElementById("report-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var byCode = {};
  config.districts.forEach(function (d) { byCode[d.code] = d; });

  /* ------------------------------------------------------------ messages next to the fields */

  function fieldError(id, th, en) {
    var box = $(id + "-error"), field = $(id);
    box.textContent = "";
    box.appendChild(document.createTextNode(th + " "));
    var english = document.createElement("span");
    english.className = "en";
    english.textContent = en;
    box.appendChild(english);
    box.hidden = false;
    if (field && field.classList) field.classList.add("invalid");
    return field || box;
  }

  function formError(th, en) {
    $("form-error").textContent = th + " · " + en;
    $("form-error").hidden = false;
    return $("form-error");
  }

  function clearErrors() {
    document.querySelectorAll(".field-error").forEach(function (box) {
      if (box.id !== "photos-error") box.hidden = true;
    });
    document.querySelectorAll(".invalid").forEach(function (f) { f.classList.remove("invalid"); });
    $("form-error").hidden = true;
  }

  /* ------------------------------------------------------------ category and description */

  $("category").addEventListener("change", function () {
    var call = config.urgent[this.value];
    $("urgent").hidden = !call;
    if (call) {
      $("urgent-th").textContent = "เร่งด่วนหรืออันตราย โทรแจ้ง" + call.th + " ทันที";
      $("urgent-call").textContent = "โทร " + call.hotline;
      $("urgent-call").href = "tel:" + call.hotline;
      $("urgent-en").textContent = "Urgent or dangerous? Call " + call.en + " now on " + call.hotline +
        ". Send this report too: the 1555 centre passes it on.";
    }
  });

  $("description").addEventListener("input", function () {
    $("description-count").textContent = this.value.length;
  });

  var photos = R.photos(config.photos, [$("photo-camera"), $("photo-gallery")], $("photos"), $("photos-error"));

  /* ------------------------------------------------------------ the place: pin and district */

  var place = { pin: null, byHand: false, confirmed: null, question: null };
  var map = null, marker = null;

  function name(code, lang) { var d = byCode[code]; return d ? d[lang] : ""; }

  function askAbout() {
    var pin = place.pin, chosen = $("district").value || null;
    var q = pin ? R.geo.placeQuestion(pin.lat, pin.lon, chosen, config.districts, config.bbox, config.near) : null;
    var key = q && [q, chosen, pin.lat, pin.lon].join("|");
    place.question = q && key !== place.confirmed ? key : null;
    $("place-question").hidden = !place.question;
    if (!place.question) return;
    var here = R.geo.nearestDistricts(pin.lat, pin.lon, config.districts, 1)[0];
    if (q === "outside") {
      $("place-question-text").textContent = "หมุดอยู่นอกกรุงเทพมหานคร ถูกต้องหรือไม่?";
      $("place-question-en").textContent = "The pin is outside Bangkok. Is that right?";
      $("place-fix").textContent = chosen ? "ย้ายหมุดไปที่เขต" + name(chosen, "th") + " · Move the pin to " + name(chosen, "en")
        : "ย้ายหมุดมาที่กรุงเทพฯ · Move the pin into Bangkok";
      $("place-keep").textContent = "ส่งโดยไม่ใช้หมุด · Send without the pin";
    } else {
      $("place-question-text").textContent = "หมุดอยู่ในเขต" + name(here, "th") + " แต่เลือกเขต" + name(chosen, "th") + " ถูกต้องหรือไม่?";
      $("place-question-en").textContent = "The pin is in " + name(here, "en") + " but you chose " + name(chosen, "en") + ". Is that right?";
      $("place-fix").textContent = "ใช้เขต" + name(here, "th") + " · Use " + name(here, "en");
      $("place-keep").textContent = "ใช่ เขต" + name(chosen, "th") + " · Yes, " + name(chosen, "en");
    }
  }

  function pinMoved(lat, lon) {
    place.pin = { lat: lat, lon: lon };
    $("pin-status").textContent = "หมุด · Pin: " + lat.toFixed(5) + ", " + lon.toFixed(5);
    if (!place.byHand && R.geo.inBangkok(lat, lon, config.bbox)) {
      $("district").value = R.geo.nearestDistricts(lat, lon, config.districts, 1)[0];
    }
    askAbout();
  }

  function placePin(lat, lon, zoom) {
    if (map) {
      if (!marker) {
        var icon = L.divIcon({ className: "pin-icon", html: '<div class="pin"></div>', iconSize: [30, 30], iconAnchor: [15, 36] });
        marker = L.marker([lat, lon], { draggable: true, icon: icon, title: "หมุด · Pin", alt: "หมุด · Pin" }).addTo(map);
        marker.on("dragend", function () { var p = marker.getLatLng(); pinMoved(p.lat, p.lng); });
      } else {
        marker.setLatLng([lat, lon]);
      }
      if (zoom) map.setView([lat, lon], zoom);
    }
    pinMoved(lat, lon);
  }

  function dropPin() {
    if (marker) { marker.remove(); marker = null; }
    place.pin = null;
    $("pin-status").textContent = "";
    askAbout();
  }

  if (window.L) {
    map = L.map("map").setView(config.centre, 11);
    var credit = document.createElement("span");
    credit.textContent = config.tiles.attribution;  // plain text, never markup
    L.tileLayer(config.tiles.url, { maxZoom: 19, attribution: credit.innerHTML }).addTo(map);
    map.on("click", function (e) { placePin(e.latlng.lat, e.latlng.lng, 0); });
  } else {
    $("map").textContent = "แผนที่ใช้ไม่ได้ในขณะนี้ โปรดเลือกเขตด้านล่าง · The map could not load: choose the district below.";
  }

  $("district").addEventListener("change", function () {
    place.byHand = !!this.value;
    askAbout();
  });

  $("place-fix").addEventListener("click", function () {
    var pin = place.pin, chosen = $("district").value;
    if (!R.geo.inBangkok(pin.lat, pin.lon, config.bbox)) {
      var to = byCode[chosen] || { lat: config.centre[0], lon: config.centre[1] };
      placePin(to.lat, to.lon, chosen ? 15 : 11);
      return;
    }
    place.byHand = false;
    $("district").value = R.geo.nearestDistricts(pin.lat, pin.lon, config.districts, 1)[0];
    askAbout();
  });

  $("place-keep").addEventListener("click", function () {
    if (!R.geo.inBangkok(place.pin.lat, place.pin.lon, config.bbox)) return dropPin();
    place.confirmed = place.question;
    askAbout();
  });

  $("locate").addEventListener("click", function () {
    var status = $("locate-status");
    if (!navigator.geolocation) {
      status.textContent = "เครื่องนี้ไม่บอกตำแหน่ง แตะแผนที่เพื่อปักหมุดแทน · This device cannot tell its position: tap the map instead.";
      return;
    }
    status.textContent = "กำลังหาตำแหน่ง… · Finding your position…";
    navigator.geolocation.getCurrentPosition(function (p) {
      placePin(p.coords.latitude, p.coords.longitude, 16);
      var metres = Math.round(p.coords.accuracy || 0);
      status.textContent = "ได้ตำแหน่งแล้ว (คลาดเคลื่อนประมาณ " + metres + " ม.) ลากหมุดได้ถ้าไม่ตรง · Position found (±" +
        metres + " m): drag the pin if it is not right.";
    }, function (err) {
      status.textContent = err.code === 1
        ? "ไม่ได้รับอนุญาตให้ใช้ตำแหน่ง แตะแผนที่เพื่อปักหมุดแทน · Not allowed to use your position: tap the map instead."
        : "หาตำแหน่งไม่ได้ แตะแผนที่เพื่อปักหมุดแทน · Could not find your position: tap the map instead.";
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  /* ------------------------------------------------------------ sending */

  var sending = false, lastPayload = null, idempotencyKey = null;

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function value(id) { return $(id).value.trim(); }

  function payload() {
    var location = {}, complainant = {};
    if (place.pin) {
      location.lat = Math.round(place.pin.lat * 1e6) / 1e6;
      location.lon = Math.round(place.pin.lon * 1e6) / 1e6;
    }
    if (value("district")) location.district = value("district");
    if (value("address")) location.address = value("address");
    ["name", "phone", "email"].forEach(function (f) { if (value(f)) complainant[f] = value(f); });
    return {
      category: value("category"), description: value("description"), location: location, complainant: complainant,
      notify: $("notify").checked, channel: "web", photos: photos.keys()
    };
  }

  /* What the citizen can fix before anything is sent; the first field in trouble, or null. */
  function check() {
    var bad = [];
    if (!value("category")) bad.push(fieldError("category", "โปรดเลือกว่าเป็นเรื่องอะไร", "Choose what the problem is."));
    if (!value("description")) bad.push(fieldError("description", "โปรดเล่าสิ่งที่พบ", "Describe what you saw."));
    var digits = value("phone").replace(/[^0-9๐-๙]/g, "");
    if (value("phone") && (digits.length < 9 || digits.length > 11)) {
      bad.push(fieldError("phone", "เบอร์โทรไม่ถูกต้อง ใช้ 10 หลัก เช่น 0812345678", "Not a Thai phone number: 10 digits, like 0812345678."));
    }
    if (value("email") && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value("email"))) {
      bad.push(fieldError("email", "อีเมลไม่ถูกต้อง", "Not an e-mail address."));
    }
    if ($("notify").checked && !value("phone") && !value("email")) {
      bad.push(fieldError("notify", "ใส่เบอร์มือถือหรืออีเมล เพื่อรับการแจ้งความคืบหน้า", "Give a mobile number or an e-mail to be told about progress."));
    }
    return bad[0] || null;
  }

  /* The API's refusal next to the field it names (the 422 body's details), else above the button. */
  function refused(status, body) {
    var e = (body && body.error) || {}, details = e.details || [], first = null;
    var FIELDS = { category: ["category", "เรื่องไม่ถูกต้อง"], description: ["description", "รายละเอียดไม่ถูกต้อง"],
      "complainant.phone": ["phone", "เบอร์โทรไม่ถูกต้อง"], "complainant.email": ["email", "อีเมลไม่ถูกต้อง"],
      photos: ["photos", "รูปถ่ายมีปัญหา ลบแล้วเลือกใหม่"], location: ["district", "สถานที่ไม่ถูกต้อง"] };
    details.forEach(function (d) {
      var root = d.field.split(".").slice(0, d.field.indexOf("complainant") === 0 ? 2 : 1).join(".");
      var f = FIELDS[root] || (/notify/.test(d.message) ? ["notify", "ใส่เบอร์มือถือหรืออีเมลเพื่อรับการแจ้ง"] : null);
      if (f) first = first || fieldError(f[0], f[1], d.message);
    });
    if (!first && /district|location|Bangkok/.test(e.message || "")) first = fieldError("district", "สถานที่ไม่ถูกต้อง", e.message);
    return first || formError("ส่งไม่สำเร็จ โปรดตรวจข้อมูลแล้วส่งอีกครั้ง", e.message || "HTTP " + status);
  }

  function finish(problem) {
    sending = false;
    $("send").disabled = false;
    photos.lock(false);
    $("send-status").textContent = "";
    if (problem) { problem.scrollIntoView({ block: "center" }); if (problem.focus) problem.focus(); }
  }

  function send() {
    var body = JSON.stringify(payload());
    if (body !== lastPayload) { lastPayload = body; idempotencyKey = uuid(); }  // a retry reuses its key
    sending = true;
    $("send").disabled = true;
    photos.lock(true);
    $("send-status").textContent = "กำลังส่งเรื่อง… · Sending…";
    fetch("/complaints", {
      method: "POST", body: body,
      headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey }
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (answer) {
        if (res.status === 201 && answer) return R.done(answer);
        if (res.status >= 500 || res.status === 409 || res.status === 429) {
          return finish(formError("ระบบไม่ว่าง ยังไม่ได้รับเรื่อง กดส่งอีกครั้ง", "The system is busy; nothing was filed yet. Press Send again."));
        }
        finish(refused(res.status, answer));
      });
    }).catch(function () {
      finish(formError("ส่งไม่สำเร็จ ตรวจสอบอินเทอร์เน็ตแล้วกดส่งอีกครั้ง", "Not sent: check your connection and press Send again."));
    });
  }

  $("report").addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return;
    clearErrors();
    var problem = check();
    if (!problem && place.question) {
      problem = formError("โปรดตอบคำถามเรื่องสถานที่ก่อนส่ง", "Please answer the question about the place first.");
      $("place-question").scrollIntoView({ block: "center" });
      return;
    }
    if (!problem && photos.busy()) problem = formError("รอให้รูปส่งเสร็จก่อน", "Wait until the photos are uploaded.");
    if (!problem && photos.failed()) problem = formError("มีรูปที่ส่งไม่สำเร็จ ลองอีกครั้งหรือลบรูปนั้น", "A photo did not upload: retry or remove it.");
    if (problem) return finish(problem);
    send();
  });
})(window.R1555 = window.R1555 || {});
