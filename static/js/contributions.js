/*
 * Reader contributions, better with JavaScript: rating and liking without a
 * page reload, the reader's own choices fetched separately (the page itself is
 * the same for everyone), reply links that fill in the comment form, and a
 * live count of the comment's characters against its limit.
 * Without this file every control is a plain form that still works.
 */
(function () {
  "use strict";

  function post(form, extra) {
    var data = new FormData(form);
    Object.keys(extra || {}).forEach(function (key) { data.set(key, extra[key]); });
    // getAttribute: the like form has an input named "action", which form.action returns.
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function starsHtml(average) {
    var halves = Math.floor(parseFloat(average) * 2);
    var parts = [];
    for (var i = 0; i < 5; i++) {
      parts.push(halves >= 2 ? "full" : halves === 1 ? "half" : "empty");
      halves = Math.max(0, halves - 2);
    }
    var span = document.createElement("span");
    span.className = "stars stars-md";
    span.setAttribute("role", "img");
    span.setAttribute("aria-label", average + " out of 5 stars");
    parts.forEach(function (part) {
      var star = document.createElement("span");
      star.className = "star star-" + part;
      star.setAttribute("aria-hidden", "true");
      star.textContent = "★";
      span.appendChild(star);
    });
    return span;
  }

  function showCounts(box, counts) {
    var heading = box.querySelector("[data-rating-heading]");
    if (heading) { heading.textContent = "User Ratings (" + counts.rating_count + ")"; }
    var average = box.querySelector("[data-rating-average]");
    if (average && counts.rating_average) {
      average.textContent = "";
      average.appendChild(starsHtml(counts.rating_average));
      var text = document.createElement("span");
      text.className = "rating-average";
      text.textContent = " " + counts.rating_average + " / 5";
      average.appendChild(text);
    }
  }

  function setLiked(form, liked) {
    var button = form.querySelector("button");
    form.querySelector("[name=action]").value = liked ? "unlike" : "like";
    button.setAttribute("aria-pressed", liked ? "true" : "false");
    button.textContent = liked ? "Liked · undo" : "Like";
  }

  function showLikes(count) {
    var counter = document.querySelector("[data-like-count]");
    if (!counter) { return; }
    counter.textContent = count;
    var rest = counter.nextSibling;
    if (rest && rest.nodeType === Node.TEXT_NODE) {
      rest.textContent = count === 1 ? " reader likes this" : " readers like this";
    }
  }

  // One vote per deliberate choice: the Rate button, Enter on a star, or a click
  // or tap on one. The arrow keys only move the choice (the browser "clicks" the
  // radio buttons as they move, but never their labels, which carry the stars).
  function setUpRating(box) {
    var form = box.querySelector("[data-rating-form]");
    if (!form) { return; }
    var status = form.querySelector("[data-rating-status]");
    var help = form.querySelector(".rating-help");
    if (help) { help.textContent = "Click a star, or choose with the arrow keys and press Enter."; }

    var last = { value: null, at: 0 };
    function send() {
      var choice = form.querySelector("input[name=value]:checked");
      if (!choice) {
        status.textContent = "Pick from half a star to five stars, then press Rate.";
        return;
      }
      // A double click, or Enter held down, is one choice: one vote.
      if (choice.value === last.value && Date.now() - last.at < 1000) { return; }
      last = { value: choice.value, at: Date.now() };
      status.textContent = "Saving your rating…";
      post(form).then(function (counts) {
        showCounts(box, counts);
        status.textContent = "Your rating: " + counts.your_rating;
      }).catch(function () {
        status.textContent = "Your rating could not be saved. Please try again.";
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send();
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.name === "value") {
        event.preventDefault();
        send();
      }
    });
    form.addEventListener("click", function (event) {
      var label = event.target.closest("label[for]");
      var choice = label && document.getElementById(label.htmlFor);
      // detail is 0 for a click the keyboard made.
      if (!choice || choice.name !== "value" || event.detail === 0) { return; }
      event.preventDefault();
      choice.checked = true;
      choice.focus();
      send();
    });
  }

  function setUpLike(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      post(form).then(function (counts) {
        setLiked(form, counts.liked);
        showLikes(counts.like_count);
      }).catch(function () { form.submit(); });
    });
  }

  function loadMine(box, likeForm) {
    var url = box.getAttribute("data-mine-url");
    if (!url) { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (mine) {
        if (!mine) { return; }
        if (mine.your_rating) {
          var choice = box.querySelector('input[name=value][value="' + parseFloat(mine.your_rating).toFixed(1) + '"]');
          var status = box.querySelector("[data-rating-status]");
          if (choice) { choice.checked = true; }
          if (status) { status.textContent = "Your rating: " + mine.your_rating; }
        }
        if (likeForm && mine.liked) { setLiked(likeForm, true); }
        // The page may come from the cache: time the comment form from now,
        // unless it is a comment sent back to its writer, timed by the server.
        var started = document.querySelector("#comment-form form:not([data-sent]) input[name=started]");
        if (started && mine.comment_started) { started.value = mine.comment_started; }
      });
  }

  function setUpReplies() {
    var form = document.getElementById("comment-form");
    if (!form) { return; }
    var parent = form.querySelector("input[name=parent]");
    var note = form.querySelector(".comment-replying");
    var label = form.querySelector("[data-reply-label]");
    document.querySelectorAll("[data-reply-to]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        parent.value = link.getAttribute("data-reply-to");
        label.textContent = link.getAttribute("data-reply-name");
        note.hidden = false;
        form.scrollIntoView({ behavior: "smooth", block: "start" });
        form.querySelector("textarea").focus();
      });
    });
    var cancel = form.querySelector("[data-reply-cancel]");
    if (cancel) {
      cancel.addEventListener("click", function (event) {
        event.preventDefault();
        parent.value = "";
        note.hidden = true;
      });
    }
    if (parent && parent.value && label) {
      var source = document.querySelector('[data-reply-to="' + parent.value + '"]');
      if (source) {
        label.textContent = source.getAttribute("data-reply-name");
        note.hidden = false;
      }
    }
  }

  // The count the server makes: characters (code points, not UTF-16 units),
  // a line break as one. Near the limit and past it the live region says so,
  // once per step rather than at every key.
  function setUpCounter() {
    var counter = document.querySelector("[data-counter-for]");
    var field = counter && document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field) { return; }
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    var count = counter.querySelector("[data-count]");
    var announce = document.querySelector("[data-counter-announce]");
    var near = Math.max(1, Math.floor(limit / 10));
    var lastStep = "";
    counter.id = field.id + "_counter";
    field.setAttribute(
      "aria-describedby",
      ((field.getAttribute("aria-describedby") || "") + " " + counter.id).trim()
    );
    function update() {
      var used = Array.from(field.value.replace(/\r\n/g, "\n")).length;
      var left = limit - used;
      count.textContent = used.toLocaleString("en");
      counter.classList.toggle("comment-counter-over", left < 0);
      var step = left < 0 ? "over" : left <= near / 5 ? "close" : left <= near ? "near" : "";
      if (step === lastStep) { return; }
      lastStep = step;
      if (step === "over") {
        announce.textContent = "Your comment is " + (-left).toLocaleString("en") +
          " characters over the limit of " + limit.toLocaleString("en") + ".";
      } else if (step) {
        announce.textContent = left.toLocaleString("en") + " characters left.";
      } else {
        announce.textContent = "";
      }
    }
    field.addEventListener("input", update);
    counter.hidden = false;
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("reader-rating");
    var likeForm = document.querySelector("[data-like-form]");
    if (box && window.fetch) {
      setUpRating(box);
      if (likeForm) { setUpLike(likeForm); }
      loadMine(box, likeForm);
    }
    setUpReplies();
    setUpCounter();
  });
})();
