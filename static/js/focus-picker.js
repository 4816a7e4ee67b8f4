// The focal point picker of the admin's image fields (core.fields.FocusPickerWidget):
// a click on the picture, or the arrow keys on it, set the two numbers (0..1)
// that every crop keeps in frame; typing the numbers moves the mark.
(function () {
  "use strict";

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function setUp(picker) {
    var x = document.getElementById(picker.dataset.focusX);
    var y = document.getElementById(picker.dataset.focusY);
    var file = document.getElementById(picker.dataset.focusFile);
    var frame = picker.querySelector(".focus-picker-frame");
    var image = picker.querySelector(".focus-picker-image");
    var mark = picker.querySelector(".focus-picker-mark");
    var empty = picker.querySelector(".focus-picker-empty");
    if (!x || !y || !frame) return;

    function value(input) {
      var number = parseFloat(input.value);
      return isNaN(number) ? 0.5 : clamp(number);
    }
    function draw() {
      mark.style.left = value(x) * 100 + "%";
      mark.style.top = value(y) * 100 + "%";
      // Said with the frame's name: a frame has no value of its own in ARIA.
      frame.setAttribute("title", "Focal point: " + Math.round(value(x) * 100) + "% across, " + Math.round(value(y) * 100) + "% down");
    }
    function set(across, down) {
      x.value = clamp(across).toFixed(2);
      y.value = clamp(down).toFixed(2);
      x.dispatchEvent(new Event("change", { bubbles: true }));
      draw();
    }
    frame.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    });
    frame.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 0.1 : 0.02;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      var move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      set(value(x) + move[0], value(y) + move[1]);
    });
    x.addEventListener("input", draw);
    y.addEventListener("input", draw);
    if (file) {
      file.addEventListener("change", function () {
        if (!file.files || !file.files.length) return;
        image.src = URL.createObjectURL(file.files[0]);
        frame.hidden = false;
        if (empty) empty.hidden = true;
        set(0.5, 0.5);
      });
    }
    draw();
  }

  function start() {
    document.querySelectorAll(".focus-picker").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
