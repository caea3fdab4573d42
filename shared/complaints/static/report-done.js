/* After sending: the case number, the tracking link (with a copy button) and the deadline in
   words, Thai then English, from POST /complaints' answer (id, tracking_token, due, agency,
   referral). Dates in Bangkok time; Thai in the Buddhist era (th-TH's own calendar). */
(function (R) {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var ZONE = "Asia/Bangkok";

  function day(at, locale, withTime) {
    var options = { dateStyle: "full", timeZone: ZONE };
    if (withTime) options.timeStyle = "short";
    return new Intl.DateTimeFormat(locale, options).format(new Date(at));
  }

  /* [Thai, English]: who must act, by when; or whom to call for a referral. */
  function deadline(answer) {
    var due = answer.due, agency = answer.agency, referral = answer.referral;
    if (referral) {
      if (referral.channel === "hotline" && referral.hotline) {
        return ["เรื่องนี้อยู่ในความรับผิดชอบของ" + referral.name_th + " โปรดโทร " + referral.hotline +
          " ทันที ศูนย์ 1555 แจ้งเรื่องให้แล้วด้วย", "This is a matter for " + referral.name_en + ": please call " +
          referral.hotline + " now. The 1555 centre has passed it on too."];
      }
      return ["เรื่องนี้อยู่ในความรับผิดชอบของ" + referral.name_th + " ศูนย์ 1555 จะส่งหนังสือแจ้งให้",
        "This is a matter for " + referral.name_en + ": the 1555 centre writes to them about it."];
    }
    if (due && due.kind === "ack") {
      var to = agency ? ["ส่งเรื่องถึง" + agency.name_th + "แล้ว ", "Sent to " + agency.name_en + ". "] : ["", ""];
      return [to[0] + "หน่วยงานต้องตอบรับภายใน" + day(due.at, "th-TH"),
        to[1] + "The agency must acknowledge it by " + day(due.at, "en-GB") + "."];
    }
    if (due && due.kind === "dispatch") {
      return ["ศูนย์ 1555 จะส่งเรื่องให้หน่วยงานที่รับผิดชอบภายใน" + day(due.at, "th-TH", true),
        "The 1555 centre will pass it to the agency in charge by " + day(due.at, "en-GB", true) + "."];
    }
    return ["ศูนย์ 1555 ได้รับเรื่องแล้ว ติดตามความคืบหน้าได้ที่ลิงก์ด้านล่าง",
      "The 1555 centre has your report; follow it with the link below."];
  }

  function copy(link) {
    var status = $("copy-status");
    var done = function () { status.textContent = "คัดลอกแล้ว · Copied"; };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents($("track-link"));
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = document.execCommand("copy") ? "คัดลอกแล้ว · Copied" : "กดค้างที่ลิงก์เพื่อคัดลอก · Press and hold the link to copy it";
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(link).then(done, fallback);
    else fallback();
  }

  R.done = function (answer) {
    var link = location.origin + "/track/" + encodeURIComponent(answer.id) + "?token=" + encodeURIComponent(answer.tracking_token);
    var words = deadline(answer);
    $("case-number").textContent = answer.id;
    $("track-link").href = link;
    $("track-link").textContent = link;
    $("deadline").textContent = words[0];
    $("deadline-en").textContent = words[1];
    $("copy-link").addEventListener("click", function () { copy(link); });
    $("report").hidden = true;
    $("done").hidden = false;
    $("done").focus();
    window.scrollTo(0, 0);
  };
})(window.R1555 = window.R1555 || {});
