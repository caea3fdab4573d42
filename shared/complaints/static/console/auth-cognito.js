/* The staff console's sign-in in AWS (the page's data-auth="cognito"): the user pool's hosted UI,
   OAuth 2.0 authorization code with PKCE (RFC 7636), no client secret. The ID token goes to the API
   in the Authorization header; API Gateway verifies it (signature, issuer, audience, expiry), so
   this file only reads its claims to know which console to show. Tokens are kept in
   sessionStorage: one tab's sign-in, gone when the tab closes.

   The page's <body> gives data-sign-in-url (https://<prefix>.auth.<region>.amazoncognito.com),
   data-client-id (the app client) and data-base (the API stage's path, "" or "/v1").

   window.ConsoleAuth = {identity(), headers(), signIn(), signOut()} (as auth-local.js). */
(function () {
  "use strict";

  var ROLES = ["callcenter", "agency", "auditor", "executive", "admin"]; // the pool's groups
  var RENEW_BEFORE_MS = 5 * 60 * 1000; // renew the ID token this long before it expires

  var data = document.body.dataset;
  var signInUrl = (data.signInUrl || "").replace(/\/+$/, "");
  var clientId = data.clientId || "";
  var consoleUrl = location.origin + (data.base || "") + "/console";
  var callbackUrl = consoleUrl + "/callback";

  var store = window.sessionStorage;
  var KEY = "console.cognito.";
  function get(name) { return store.getItem(KEY + name); }
  function put(name, value) { if (value) store.setItem(KEY + name, value); }
  function drop(names) { names.forEach(function (n) { store.removeItem(KEY + n); }); }

  /* ------------------------------------------------------------ encodings */

  function base64url(bytes) {
    var text = "";
    bytes.forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  /* A random string of base64url characters (PKCE allows [A-Za-z0-9-._~], 43 to 128 of them). */
  function randomString(bytes) {
    return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
  }

  /* The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
  function challengeOf(verifier) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)).then(function (hash) {
      return base64url(new Uint8Array(hash));
    });
  }

  /* The claims of a JWT, unverified (the API verifies); null if it is not one. */
  function claimsOf(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      var bytes = Uint8Array.from(atob(part), function (c) { return c.charCodeAt(0); });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      return null;
    }
  }

  /* ------------------------------------------------------------ the token endpoint */

  /* POST a form to the token endpoint; keeps the tokens it answers (a renewal has no new refresh token). */
  function tokenRequest(fields) {
    return fetch(signInUrl + "/oauth2/token", {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: new URLSearchParams(Object.assign({client_id: clientId}, fields)).toString()
    }).then(function (answer) {
      if (!answer.ok) throw new Error("token endpoint answered " + answer.status);
      return answer.json();
    }).then(function (tokens) {
      if (!tokens.id_token) throw new Error("no ID token");
      put("id_token", tokens.id_token);
      put("refresh_token", tokens.refresh_token);
    });
  }

  function renew() {
    return tokenRequest({grant_type: "refresh_token", refresh_token: get("refresh_token")});
  }

  /* On /console/callback: check the state, trade the code (and the verifier) for tokens, and go
     back to the page the sign-in started from. The promise never settles: the page is replaced. */
  function finishSignIn() {
    var query = new URLSearchParams(location.search);
    var state = get("state"), verifier = get("verifier"), back = get("return_to");
    drop(["state", "verifier", "return_to"]);
    if (!query.get("code") || !state || query.get("state") !== state) {
      // a refusal at the hosted UI (?error=…), a stale or forged answer: not signed in
      return Promise.resolve(false);
    }
    return tokenRequest({
      grant_type: "authorization_code",
      code: query.get("code"),
      redirect_uri: callbackUrl,
      code_verifier: verifier
    }).then(function () {
      location.replace(back || consoleUrl);
      return new Promise(function () {});
    }, function () { return false; });
  }

  /* ------------------------------------------------------------ what the console asks */

  function signIn() {
    var verifier = randomString(48); // 64 characters
    var state = randomString(24);
    var here = location.pathname + location.search + location.hash;
    challengeOf(verifier).then(function (challenge) {
      put("verifier", verifier);
      put("state", state);
      if (here.indexOf("/console/callback") < 0) put("return_to", here);
      location.assign(signInUrl + "/oauth2/authorize?" + new URLSearchParams({
        response_type: "code",
        client_id: clientId,
        redirect_uri: callbackUrl,
        scope: "openid email profile",
        code_challenge: challenge,
        code_challenge_method: "S256",
        state: state
      }).toString());
    });
  }

  function signOut() {
    var refresh = get("refresh_token");
    drop(["id_token", "refresh_token"]);
    if (refresh) {
      // the refresh token cannot renew anything any more (EnableTokenRevocation); keepalive
      // lets the request finish while the page goes to the hosted UI's logout
      fetch(signInUrl + "/oauth2/revoke", {
        method: "POST",
        keepalive: true,
        headers: {"Content-Type": "application/x-www-form-urlencoded"},
        body: new URLSearchParams({token: refresh, client_id: clientId}).toString()
      }).catch(function () {});
    }
    location.assign(signInUrl + "/logout?" + new URLSearchParams({client_id: clientId, logout_uri: consoleUrl}));
  }

  function headers() {
    var token = get("id_token");
    return token ? {Authorization: token} : {};
  }

  var renewal = null;

  /* Renew the ID token a little before it expires, so that headers() stays good for the shift. If
     it cannot be renewed (the 12 hours are over), the API's 401 says so: no redirect that would
     lose what the operator is typing. */
  function scheduleRenewal(expiresAtMs) {
    clearTimeout(renewal);
    var wait = Math.max(0, expiresAtMs - RENEW_BEFORE_MS - Date.now());
    renewal = setTimeout(function () {
      renew().then(function () { scheduleRenewal(claimsOf(get("id_token")).exp * 1000); }, function () {});
    }, wait);
  }

  /* Who is signed in: {role, agency_id, user}, or null. An expired ID token is renewed with the
     refresh token; if that fails, the hosted UI is asked again (it may still know the user). */
  function identity() {
    var onCallback = location.pathname.replace(/\/+$/, "").slice(-"/console/callback".length) === "/console/callback";
    var started = onCallback ? finishSignIn() : Promise.resolve(true);
    return started.then(function () {
      var claims = claimsOf(get("id_token") || "");
      if (claims && claims.exp * 1000 > Date.now()) return claims;
      if (!get("refresh_token")) return null;
      return renew().then(function () { return claimsOf(get("id_token")); }, function () {
        drop(["id_token", "refresh_token"]);
        signIn();
        return new Promise(function () {});
      });
    }).then(function (claims) {
      if (!claims) return null;
      scheduleRenewal(claims.exp * 1000);
      var groups = [].concat(claims["cognito:groups"] || []);
      var role = groups.filter(function (g) { return ROLES.indexOf(g) >= 0; })[0] || null;
      return {role: role, agency_id: claims["custom:agency_id"] || null, user: claims.email || claims["cognito:username"] || ""};
    });
  }

  window.ConsoleAuth = {identity: identity, headers: headers, signIn: signIn, signOut: signOut};
})();
