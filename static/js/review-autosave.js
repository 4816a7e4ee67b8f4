// Autosave for the review form (reviews/admin/autosave.py).
//
// Every few seconds, when the form has changed, its fields are sent to the
// server, which keeps them for this user and review. Until the server has
// them they also wait in localStorage: if the session has expired, the
// editor is told to sign in again, and the copy is sent from the next page
// that opens this form (after signing in), which then offers to restore it.
(function () {
  "use strict";
  const INTERVAL = 5000;
  const SKIPPED = new Set(["csrfmiddlewaretoken"]);

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function start() {
    const config = document.getElementById("review-autosave");
    const form = document.getElementById("review_form");
    if (!config || !form) {
      return;
    }
    const status = document.getElementById("autosave-status");
    const { url, key, openedAt, loginUrl } = config.dataset;
    let sent = fields();
    let signedOut = false;

    function say(text, link) {
      if (!status) {
        return;
      }
      status.replaceChildren(text);
      if (link) {
        const a = document.createElement("a");
        a.href = link.href;
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = link.text;
        status.append(" ", a);
      }
    }

    function fields() {
      const params = new URLSearchParams();
      for (const [name, value] of new FormData(form)) {
        if (!SKIPPED.has(name) && typeof value === "string") {
          params.append(name, value);
        }
      }
      return params.toString();
    }

    function keepLocally(body, opened) {
      try {
        localStorage.setItem(key, JSON.stringify({ body, openedAt: opened }));
      } catch {
        // Storage full or refused: the server copy is all there is.
      }
    }

    function localCopy() {
      try {
        return JSON.parse(localStorage.getItem(key) || "null");
      } catch {
        return null;
      }
    }

    function forgetLocally() {
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing to forget.
      }
    }

    // Send ``body`` (the form's fields, from a form opened at ``opened``).
    // Resolves to "saved", "stale", "signed-out" or "failed".
    async function send(body, opened) {
      const payload = new URLSearchParams(body);
      payload.set("_autosave_opened_at", opened);
      let response;
      try {
        response = await fetch(url, {
          method: "POST",
          body: payload,
          credentials: "same-origin",
          redirect: "manual",
          headers: { "X-CSRFToken": csrfToken() },
        });
      } catch {
        return "failed";
      }
      // The admin sends a signed-out user to its login page; a new session
      // after signing in elsewhere has a new CSRF token, read at each send.
      if (response.type === "opaqueredirect" || response.status === 403) {
        return "signed-out";
      }
      if (!response.ok) {
        return "failed";
      }
      const answer = await response.json();
      if (answer.saved) {
        say(`Unsaved changes kept at ${answer.saved_at_display}.`);
        return "saved";
      }
      return answer.stale ? "stale" : "failed";
    }

    async function tick() {
      const now = fields();
      if (now === sent && !signedOut) {
        return;
      }
      keepLocally(now, openedAt);
      const result = await send(now, openedAt);
      if (result === "saved" || result === "stale") {
        sent = now;
        signedOut = false;
        forgetLocally();
      } else if (result === "signed-out") {
        signedOut = true;
        say("You have been signed out. Your text is kept in this browser:", {
          href: loginUrl,
          text: "sign in again (in a new tab) to keep it on the server.",
        });
      } else {
        say("Could not reach the server; your text is kept in this browser for now.");
      }
    }

    // A copy left by an earlier page (the session had expired, or the tab
    // closed before it was sent) goes to the server first; the page is then
    // opened again so that it offers to restore it.
    async function sendLeftover() {
      const leftover = localCopy();
      if (!leftover || !leftover.body || !leftover.openedAt) {
        return;
      }
      const result = await send(leftover.body, leftover.openedAt);
      if (result === "saved") {
        forgetLocally();
        window.location.replace(window.location.pathname);
      } else if (result === "stale") {
        forgetLocally();
      }
    }

    form.addEventListener("submit", () => {
      // If the save itself is turned away (signed out), the words wait here.
      keepLocally(fields(), openedAt);
    });
    window.addEventListener("pagehide", () => {
      const now = fields();
      if (now !== sent) {
        keepLocally(now, openedAt);
      }
    });
    const discard = document.querySelector(".autosave-discard");
    if (discard) {
      discard.addEventListener("submit", forgetLocally);
    }
    sendLeftover().finally(() => setInterval(tick, INTERVAL));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
