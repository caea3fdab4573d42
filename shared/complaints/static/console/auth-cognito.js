/* The staff console's sign-in in AWS (data-auth="cognito"): window.ConsoleAuth, the interface of
 * auth-local.js (docs/console.md), on the user pool's hosted UI with the OAuth 2.0 authorization
 * code flow and PKCE (RFC 7636, S256); a public client, no secret. The ID token goes to the API in
 * the Authorization header and API Gateway verifies it (signature, issuer, audience, expiry): this
 * file only reads its claims to choose the console's screens. Tokens live in sessionStorage (one
 * tab's sign-in, gone when the tab closes).
 *
 * The <body> gives data-sign-in-url (https://<prefix>.auth.<region>.amazoncognito.com),
 * data-client-id and data-base (the stage's path: "" or "/v1"). On /console/callback this script
 * trades the hosted UI's code for the tokens and goes back to the page the sign-in started from. */
"use strict";

(() => {
  const ROLES = ["callcenter", "agency", "auditor", "executive", "admin"]; // the pool's groups
  const EARLY_MS = 60 * 1000; // a token this close to its expiry is renewed before use

  const data = document.body.dataset;
  const signInUrl = (data.signInUrl || "").replace(/\/+$/, "");
  const clientId = data.clientId || "";
  const consoleUrl = location.origin + (data.base || "") + "/console";
  const callbackUrl = consoleUrl + "/callback";

  const KEY = "console.cognito.";
  const get = (name) => sessionStorage.getItem(KEY + name);
  const put = (name, value) => value && sessionStorage.setItem(KEY + name, value);
  const drop = (...names) => names.forEach((n) => sessionStorage.removeItem(KEY + n));
  const never = () => new Promise(() => {}); // the page is being replaced
  const form = (fields) => new URLSearchParams({ client_id: clientId, ...fields }).toString();

  /* ------------------------------------------------------------ encodings */

  function base64url(bytes) {
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  /** `bytes` random bytes as base64url: PKCE's alphabet [A-Za-z0-9-._~], 43 to 128 characters. */
  const randomString = (bytes) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

  /** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
  async function challengeOf(verifier) {
    const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
    return base64url(new Uint8Array(hash));
  }

  /** The claims of a JWT, unverified (the API verifies); null if it is not one. */
  function claimsOf(token) {
    try {
      const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
    } catch (err) {
      return null;
    }
  }

  const fresh = (claims) => !!claims && claims.exp * 1000 - EARLY_MS > Date.now();

  /** A message in the page's view, Thai first, and a button (the callback page, an account without a role). */
  function say(th, en, button) {
    const { el, t } = window.Console;
    const action = el("button", { type: "button", id: button.id, onclick: button.onclick }, t(button.th, button.en));
    document.getElementById("view").replaceChildren(el("p", { class: "flash warn" }, t(th, en)), action);
  }

  /* ------------------------------------------------------------ the token endpoint */

  /** POST a form to the token endpoint and keep the tokens (a renewal brings no new refresh token). */
  async function tokens(fields) {
    const answer = await fetch(signInUrl + "/oauth2/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form(fields),
    });
    const doc = answer.ok ? await answer.json() : {};
    if (!doc.id_token) throw new Error("the token endpoint answered " + answer.status);
    put("id_token", doc.id_token);
    put("refresh_token", doc.refresh_token);
  }

  /** A fresh ID token's claims, renewed with the refresh token if need be; null if signed out. */
  async function current() {
    const claims = claimsOf(get("id_token") || "");
    if (fresh(claims)) return claims;
    if (!get("refresh_token")) return null;
    try {
      await tokens({ grant_type: "refresh_token", refresh_token: get("refresh_token") });
      return claimsOf(get("id_token"));
    } catch (err) {
      drop("id_token", "refresh_token"); // expired (12 hours) or revoked: sign in again
      return null;
    }
  }

  /** On /console/callback: check the state, trade the code and the verifier for the tokens, and go
   * back to where the sign-in started. A refusal (?error=…) or a stale or forged answer is said. */
  async function finishSignIn() {
    const query = new URLSearchParams(location.search);
    const [state, verifier, back] = [get("state"), get("verifier"), get("return_to")];
    drop("state", "verifier", "return_to");
    try {
      if (!query.get("code") || !state || query.get("state") !== state) throw new Error("no sign-in to finish");
      const code = query.get("code");
      await tokens({ grant_type: "authorization_code", code, redirect_uri: callbackUrl, code_verifier: verifier });
    } catch (err) {
      const again = { id: "sign-in-again", th: "ลงชื่อเข้าใช้อีกครั้ง", en: "Sign in again", onclick: signIn };
      say("ลงชื่อเข้าใช้ไม่สำเร็จ", "The sign-in did not finish.", again);
      return never();
    }
    location.replace(back || consoleUrl);
    return never();
  }

  const onCallback = /\/console\/callback\/?$/.test(location.pathname);
  const ready = onCallback ? finishSignIn() : Promise.resolve();

  /* ------------------------------------------------------------ ConsoleAuth */

  /** To the hosted UI, with a new PKCE verifier (kept) and its challenge (sent), and a state. */
  async function signIn() {
    const verifier = randomString(48); // 64 characters
    const state = randomString(24);
    const challenge = await challengeOf(verifier);
    put("verifier", verifier);
    put("state", state);
    if (!onCallback) put("return_to", location.pathname + location.search + location.hash);
    const query = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: callbackUrl,
      scope: "openid email profile",
      code_challenge: challenge,
      code_challenge_method: "S256",
      state,
    });
    location.assign(signInUrl + "/oauth2/authorize?" + query);
  }

  /** Forget the tokens, revoke the refresh token, and sign out of the hosted UI too. */
  function signOut() {
    const refresh = get("refresh_token");
    drop("id_token", "refresh_token");
    if (refresh) {
      // keepalive: the request finishes while the page goes to the hosted UI's logout
      const init = { method: "POST", keepalive: true, body: form({ token: refresh }) };
      init.headers = { "Content-Type": "application/x-www-form-urlencoded" };
      fetch(signInUrl + "/oauth2/revoke", init).catch(() => {});
    }
    location.assign(signInUrl + "/logout?" + new URLSearchParams({ client_id: clientId, logout_uri: consoleUrl }));
  }

  /** {Authorization: <ID token>}, renewed first when it is about to expire; {} when signed out. */
  async function headers() {
    await ready;
    return (await current()) ? { Authorization: get("id_token") } : {};
  }

  /** {role, agency_id, user} of the ID token, or null (then the console calls signIn). An account
   * in no group of the console is told so, not sent back to the hosted UI (which would return it). */
  async function identity() {
    await ready;
    const claims = await current();
    if (!claims) return null;
    const role = [].concat(claims["cognito:groups"] || []).find((g) => ROLES.includes(g));
    if (!role) {
      const out = { id: "sign-out", th: "ออกจากระบบ", en: "Sign out", onclick: signOut };
      const th = "บัญชีนี้ยังไม่มีบทบาทในคอนโซล โปรดติดต่อผู้ดูแลระบบ";
      say(th, "This account has no console role yet: ask an administrator.", out);
      return never();
    }
    const user = claims.email || claims["cognito:username"] || "";
    return { role, agency_id: claims["custom:agency_id"] || null, user };
  }

  window.ConsoleAuth = { identity, headers, signIn, signOut };
})();
