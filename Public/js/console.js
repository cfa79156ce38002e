// Maps: hover shows a compound's name natively (<title>); a tap on a touch screen has no
// hover, so the first tap names the compound in the caption and a second tap opens it.
document.querySelectorAll("[data-map]").forEach(function (figure) {
  var caption = figure.querySelector(".map-caption");
  var selected = null;
  figure.addEventListener("click", function (event) {
    var dot = event.target.closest("circle.compound");
    if (!dot) return;
    if (selected !== dot && window.matchMedia("(hover: none)").matches) {
      event.preventDefault();
    }
    if (selected) selected.classList.remove("selected");
    selected = dot;
    dot.classList.add("selected");
    if (caption) caption.textContent = dot.getAttribute("data-name");
  });
  figure.addEventListener("mouseover", function (event) {
    var dot = event.target.closest("circle.compound");
    if (dot && caption) caption.textContent = dot.getAttribute("data-name");
  });
});

// A select that applies itself (the map's filters) and a print button: behaviour lives
// here, not in inline handlers, so the pages run under a CSP that allows no inline script.
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
