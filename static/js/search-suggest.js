// Suggestions while typing in the catalog's search box: catalog words that begin with what is
// typed (characters, pinyin or initials), offered through the input's <datalist>. Without
// JavaScript the box is a plain search form; nothing here is needed to search.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) {
      return;
    }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value.trim();
        if (typed === last || typed.length === 0 || typed.length > 40) {
          return;
        }
        last = typed;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(typed), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        }).then(function (body) {
          if (input.value.trim() !== typed) {
            return;  // typing went on meanwhile
          }
          list.textContent = "";
          body.suggestions.forEach(function (word) {
            var option = document.createElement("option");
            option.value = word;
            list.appendChild(option);
          });
        }).catch(function () { /* suggestions are a help: the search works without them */ });
      }, 150);
    });
  });
}());
