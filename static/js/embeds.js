// Trailers in a review body: nothing comes from the video site until the
// reader presses play. Then the button gives way to the player, from the
// privacy-enhanced address (youtube-nocookie.com, or Vimeo with dnt=1) that
// the page's Content-Security-Policy allows as a frame source.
(function () {
  "use strict";

  function play(button) {
    var frame = document.createElement("iframe");
    frame.src = button.getAttribute("data-embed-src");
    frame.title = button.getAttribute("data-embed-title") || "Video";
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "embed-player";
    button.replaceWith(frame);
    frame.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.embed-play");
    if (button) {
      event.preventDefault();
      play(button);
    }
  });
})();
