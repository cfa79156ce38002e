// The intake form: the compound box suggests compounds as the operator types (code, name
// or address), so a call can be taken without leaving the keyboard.
(function () {
  var input = document.querySelector("input[data-suggest]");
  if (!input) return;
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null, last = "";
  input.addEventListener("input", function () {
    var text = input.value.trim();
    if (text === last || text.length < 1) return;
    last = text;
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          list.innerHTML = "";
          items.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item;
            list.appendChild(option);
          });
        });
    }, 120);
  });
})();
