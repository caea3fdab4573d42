/* The filing page's place rules, as complaints/domain/geo.py has them (the same tests hold):
   the nearest districts to the pin, and what to ask before sending. No map, no DOM here. */
(function (R) {
  "use strict";

  var EARTH_RADIUS_M = 6371008.8;

  function radians(deg) { return deg * Math.PI / 180; }

  /* Great-circle distance in metres (haversine). */
  function distanceM(lat1, lon1, lat2, lon2) {
    var p1 = radians(lat1), p2 = radians(lat2);
    var dp = p2 - p1, dl = radians(lon2 - lon1);
    var a = Math.pow(Math.sin(dp / 2), 2) + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  /* The codes of the n district points nearest to (lat, lon), nearest first (ties by code). */
  function nearestDistricts(lat, lon, districts, n) {
    var ranked = districts.map(function (d) {
      return { code: d.code, m: distanceM(lat, lon, d.lat, d.lon) };
    });
    ranked.sort(function (a, b) { return a.m - b.m || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0); });
    return ranked.slice(0, Math.max(n, 0)).map(function (d) { return d.code; });
  }

  function inBangkok(lat, lon, box) {
    return box.lat_min <= lat && lat <= box.lat_max && box.lon_min <= lon && lon <= box.lon_max;
  }

  /* "outside" (the pin is outside Bangkok), "elsewhere" (the chosen district is not among the
     n nearest to the pin), or null: nothing to ask. */
  function placeQuestion(lat, lon, chosen, districts, box, n) {
    if (!inBangkok(lat, lon, box)) return "outside";
    if (chosen && nearestDistricts(lat, lon, districts, n).indexOf(chosen) < 0) return "elsewhere";
    return null;
  }

  R.geo = { distanceM: distanceM, nearestDistricts: nearestDistricts, inBangkok: inBangkok, placeQuestion: placeQuestion };
})(window.R1555 = window.R1555 || {});
